import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';
import type { AccessScope } from '../../src/lib/server/db/scope';
import type { Queryable } from '../../src/lib/server/db/types';
import { DEFAULT_GAP_SETTINGS } from '../../src/lib/features/gaps/model/gaps';
import { syncGaps } from '../../src/lib/features/gaps/server/gaps.server';
import {
	endObservation,
	householdCard,
	recordHealthCheck,
	startObservation
} from '../../src/lib/features/capture/server/observations.server';
import { closeTask, gridTasks } from '../../src/lib/features/capture/server/services.server';
import { changeKeyArea, cleanOrigin } from '../../src/lib/features/capture/server/key-areas.server';
import { as, place, refusal, type Place } from './capture-support';

const HOUR = 3_600_000;

/** A household of grid 0502 with registered members, never observed, with no service tasks. */
async function quietHousehold(tx: Queryable, p: Place) {
	const [row] = await tx.query<{ id: number; code: string; persons: number[] }>(
		`SELECT h.id, h.code, array_agg(pe.id ORDER BY pe.id) AS persons
		 FROM household h JOIN person pe ON pe.household_id = h.id
		 WHERE h.grid_id = $1
		   AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.household_id = h.id)
		   AND NOT EXISTS (SELECT 1 FROM service_task t WHERE t.household_id = h.id)
		 GROUP BY h.id, h.code ORDER BY h.id LIMIT 1`,
		[p.gridId]
	);
	expect(row, 'a quiet household in 0502').toBeDefined();
	return row;
}

/** The households an open item of `rule` lists in the grid. */
async function listedHouseholds(tx: Queryable, gridId: number, rule: string): Promise<string[]> {
	const rows = await tx.query<{ codes: string[] | null }>(
		`SELECT (SELECT array_agg(x) FROM jsonb_array_elements_text(detail -> 'households') x) AS codes
		 FROM gap_item WHERE grid_id = $1 AND rule = $2 AND closed_at IS NULL`,
		[gridId, rule]
	);
	return rows.flatMap((r) => r.codes ?? []);
}

describe('capture: home observation and services', () => {
	it('starts an observation, records the health check that closes the missing-check gap, ends it; each refusal in words, nothing half-written', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const scope: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const h = await quietHousehold(tx, p);
			const morning = Date.parse(`${p.last}T08:00:00+08:00`);
			const context = {
				period: { first: '2020-01-20', last: p.last },
				clock: morning,
				settings: DEFAULT_GAP_SETTINGS
			};
			const observedBefore = await tx.query<{ n: number }>(
				'SELECT observed_households AS n FROM grid_day WHERE grid_id = $1 AND day = $2',
				[p.gridId, p.last]
			);
			const started = await as(tx, scope, () =>
				startObservation(
					tx,
					scope,
					{ householdId: h.id, personIds: h.persons, days: 14, reason: '密切接触者' },
					morning,
					p.actor,
					context
				)
			);
			expect(started).toMatchObject({
				householdId: h.id,
				grid: p.gridCode,
				startDate: p.last,
				personIds: h.persons
			});
			expect(started.endDate > p.last).toBe(true);
			const [observedAfter] = await tx.query<{ n: number }>(
				'SELECT observed_households AS n FROM grid_day WHERE grid_id = $1 AND day = $2',
				[p.gridId, p.last]
			);
			expect(observedAfter.n).toBe(observedBefore[0].n + 1);

			// Started twice; a member of another household; a start in the future: refused, nothing added.
			const count = async () =>
				(
					await tx.query<{ n: number }>(
						'SELECT count(*)::int AS n FROM observation WHERE household_id = $1',
						[h.id]
					)
				)[0].n;
			const twice = await refusal(
				as(tx, scope, () =>
					startObservation(
						tx,
						scope,
						{ householdId: h.id, personIds: h.persons, days: 14, reason: '再次' },
						morning,
						p.actor,
						context
					)
				)
			);
			expect(twice.status).toBe(409);
			expect(twice.body.message).toContain('已在居家观察中');
			const [stranger] = await tx.query<{ id: number }>(
				'SELECT id FROM person WHERE household_id <> $1 AND grid_id = $2 LIMIT 1',
				[h.id, p.gridId]
			);
			const notMember = await refusal(
				as(tx, scope, () =>
					startObservation(
						tx,
						scope,
						{ householdId: h.id, personIds: [stranger.id], days: 14, reason: '密接' },
						morning,
						p.actor,
						context
					)
				)
			);
			expect(notMember).toMatchObject({ status: 400, body: { field: 'personIds' } });
			const future = await refusal(
				as(tx, scope, () =>
					startObservation(
						tx,
						scope,
						{
							householdId: h.id,
							personIds: h.persons,
							days: 14,
							startDate: '2030-01-01',
							reason: '密接'
						},
						morning,
						p.actor,
						context
					)
				)
			);
			expect(future).toMatchObject({ status: 400, body: { field: 'startDate' } });
			expect(await count()).toBe(h.persons.length);

			// After 12:00 with no check, the household is a "health check missing" item …
			await syncGaps(tx, p.subdistrictId, morning + 5 * HOUR, { gridId: p.gridId });
			expect(await listedHouseholds(tx, p.gridId, 'health_check_missing')).toContain(h.code);
			// Starting it scheduled the household's services: today's visit (09:00) and garbage (10:00), then
			// every day to the end, groceries every third day; the check completes today's visit.
			const scheduled = await tx.query<{ kind: string; due: string }>(
				`SELECT kind, to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS due
				 FROM service_task WHERE household_id = $1 ORDER BY due_at, kind`,
				[h.id]
			);
			expect(scheduled.slice(0, 2)).toEqual([
				{ kind: 'visit', due: `${p.last} 09:00` },
				{ kind: 'garbage', due: `${p.last} 10:00` }
			]);
			expect(scheduled).toHaveLength(14 * 2 + 5);
			const [visit] = await tx.query<{ id: number }>(
				`SELECT id FROM service_task WHERE household_id = $1 AND kind = 'visit' ORDER BY due_at LIMIT 1`,
				[h.id]
			);
			const notObserved = await refusal(
				as(tx, scope, () =>
					recordHealthCheck(
						tx,
						scope,
						{
							householdId: h.id,
							checks: [{ personId: stranger.id, temperature: 36.5, symptoms: [] }]
						},
						morning + 6 * HOUR,
						p.actor,
						{ ...context, clock: morning + 6 * HOUR }
					)
				)
			);
			expect(notObserved).toMatchObject({ status: 400, body: { field: 'checks' } });
			const checked = await as(tx, scope, () =>
				recordHealthCheck(
					tx,
					scope,
					{
						householdId: h.id,
						checks: h.persons.map((personId, i) => ({
							personId,
							temperature: i === 0 ? 37.6 : 36.4,
							symptoms: i === 0 ? (['cough'] as const).slice() : []
						}))
					},
					morning + 6 * HOUR,
					p.actor,
					{ ...context, clock: morning + 6 * HOUR }
				)
			);
			expect(checked).toMatchObject({
				householdId: h.id,
				members: h.persons.length,
				alert: true,
				visitTaskId: visit.id
			});
			const [done] = await tx.query<{ done: boolean }>(
				'SELECT done_at IS NOT NULL AS done FROM service_task WHERE id = $1',
				[visit.id]
			);
			expect(done.done).toBe(true);
			expect(await listedHouseholds(tx, p.gridId, 'health_check_missing')).not.toContain(h.code);
			const card = await as(tx, scope, () => householdCard(tx, h.id, morning + 7 * HOUR));
			expect(card.observation?.personIds).toEqual(h.persons);
			expect(card.checksToday).toHaveLength(h.persons.length);
			expect(card.checksToday.find((c) => c.personId === h.persons[0])).toMatchObject({
				temperature: 37.6,
				symptoms: ['cough']
			});

			// Released in the evening: not observed from today on (begun today: today kept), audited.
			const ended = await as(tx, scope, () =>
				endObservation(
					tx,
					scope,
					{ householdId: h.id, outcome: 'released' },
					morning + 12 * HOUR,
					p.actor,
					{ ...context, clock: morning + 12 * HOUR }
				)
			);
			expect(ended).toMatchObject({ outcome: 'released', persons: h.persons.length });
			const after = await as(tx, scope, () => householdCard(tx, h.id, morning + 13 * HOUR));
			expect(after.observation).toBeNull();
			const again = await refusal(
				as(tx, scope, () =>
					endObservation(
						tx,
						scope,
						{ householdId: h.id, outcome: 'transferred' },
						morning + 13 * HOUR,
						p.actor,
						{ ...context, clock: morning + 13 * HOUR }
					)
				)
			);
			expect(again.status).toBe(409);
			// Services not yet due are gone; today's stay (the visit done, the garbage still open).
			const left = await tx.query<{ kind: string; done: boolean }>(
				'SELECT kind, done_at IS NOT NULL AS done FROM service_task WHERE household_id = $1 ORDER BY due_at',
				[h.id]
			);
			expect(left).toEqual([
				{ kind: 'visit', done: true },
				{ kind: 'garbage', done: false }
			]);
			const audit = await tx.query<{ action: string }>(
				`SELECT action FROM audit_log WHERE target_kind = 'household' AND target_id = $1 ORDER BY id`,
				[String(h.id)]
			);
			expect(audit.map((a) => a.action)).toEqual([
				'observation.start',
				'observation.check',
				'observation.end'
			]);
		});
	});

	it('dates a start queued before midnight on the day it was made, and a second start for the household adds no second round of services', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const scope: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const h = await quietHousehold(tx, p);
			const madeAt = Date.parse(`${p.last}T23:50:00+08:00`);
			const context = {
				period: { first: '2020-01-20', last: p.last },
				clock: madeAt + 20 * 60_000, // sent at 00:10 the next day
				settings: DEFAULT_GAP_SETTINGS
			};
			const started = await as(tx, scope, () =>
				startObservation(
					tx,
					scope,
					{ householdId: h.id, personIds: [h.persons[0]], days: 3, reason: '返杭人员' },
					madeAt,
					p.actor,
					context
				)
			);
			expect(started.startDate).toBe(p.last);
			const tasks = async () =>
				(
					await tx.query<{ n: number }>(
						'SELECT count(*)::int AS n FROM service_task WHERE household_id = $1',
						[h.id]
					)
				)[0].n;
			const first = await tasks();
			expect(first).toBe(3 * 2 + 1);
			// Another member (a registered one, or the same household's new returnee) later: no second round.
			const [other] = await tx.query<{ id: number }>(
				`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, phone_masked, origin, returnee, arrival_date)
				 VALUES ($1, $2, 'test-hash-observation', '钱*', '139****0000', '湖北省武汉市', true, $3::date) RETURNING id`,
				[p.subdistrictId, h.id, p.last]
			);
			await as(tx, scope, () =>
				startObservation(
					tx,
					scope,
					{ householdId: h.id, personIds: [other.id], days: 3, reason: '密切接触者' },
					madeAt + 60_000,
					p.actor,
					context
				)
			);
			expect(await tasks()).toBe(first);
		});
	});

	it('lists the grid’s tasks, marks one done and one missed with its reason (closing the overdue item), refuses a second close and one not yet due', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const scope: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const h = await quietHousehold(tx, p);
			const tasks = await tx.query<{ id: number; kind: string }>(
				`INSERT INTO service_task (subdistrict_id, household_id, kind, due_at)
				 VALUES ($1, $2, 'garbage', $3::timestamptz), ($1, $2, 'delivery', $3::timestamptz),
				        ($1, $2, 'garbage', $3::timestamptz + interval '1 day')
				 RETURNING id, kind`,
				[p.subdistrictId, h.id, `${p.last}T10:00:00+08:00`]
			);
			const [garbage, delivery, tomorrow] = tasks;
			const clock = Date.parse(`${p.last}T15:00:00+08:00`);
			const context = {
				period: { first: '2020-01-20', last: p.last },
				clock,
				settings: DEFAULT_GAP_SETTINGS
			};
			await syncGaps(tx, p.subdistrictId, clock, { gridId: p.gridId });
			expect(await listedHouseholds(tx, p.gridId, 'service_overdue')).toContain(h.code);
			const listed = await as(tx, scope, () => gridTasks(tx, p.gridId, clock));
			const ours = listed.filter((t) => t.householdId === h.id);
			expect(ours.map((t) => [t.id, t.status])).toEqual([
				[garbage.id, 'open'],
				[delivery.id, 'open']
			]);
			expect(ours[0].address).toMatch(/\d/);

			const noReason = await refusal(
				as(tx, scope, () =>
					closeTask(tx, scope, garbage.id, { outcome: 'missed' }, clock, p.actor, context)
				)
			);
			expect(noReason).toMatchObject({ status: 400, body: { field: 'reason' } });
			const missed = await as(tx, scope, () =>
				closeTask(
					tx,
					scope,
					garbage.id,
					{ outcome: 'missed', reason: '住户不在家' },
					clock,
					p.actor,
					context
				)
			);
			expect(missed).toMatchObject({ status: 'missed', missedReason: '住户不在家' });
			const done = await as(tx, scope, () =>
				closeTask(tx, scope, delivery.id, { outcome: 'done' }, clock, p.actor, context)
			);
			expect(done.status).toBe('done');
			// Nothing of this household left to chase.
			expect(await listedHouseholds(tx, p.gridId, 'service_overdue')).not.toContain(h.code);
			const closedTwice = await refusal(
				as(tx, scope, () =>
					closeTask(tx, scope, garbage.id, { outcome: 'done' }, clock, p.actor, context)
				)
			);
			expect(closedTwice.status).toBe(409);
			expect(closedTwice.body.message).toContain('住户不在家');
			const early = await refusal(
				as(tx, scope, () =>
					closeTask(tx, scope, tomorrow.id, { outcome: 'done' }, clock, p.actor, context)
				)
			);
			expect(early.status).toBe(409);
			const [rows] = await tx.query<{ open: number }>(
				'SELECT count(*) FILTER (WHERE done_at IS NULL AND missed_at IS NULL)::int AS open FROM service_task WHERE household_id = $1',
				[h.id]
			);
			expect(rows.open).toBe(1);
			// Another grid's task is not found.
			const [foreign] = await tx.query<{ id: number }>(
				'SELECT id FROM service_task WHERE grid_id <> $1 ORDER BY id LIMIT 1',
				[p.gridId]
			);
			const hidden = await refusal(
				as(tx, scope, () =>
					closeTask(tx, scope, foreign.id, { outcome: 'done' }, clock, p.actor, context)
				)
			);
			expect(hidden.status).toBe(404);
		});
	});
});

describe('capture: the key-area list', () => {
	it('adding an origin flags its persons and recounts key-area screenings; removing it undoes both; the same twice changes nothing', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const period = { first: '2020-01-20', last: p.last };
			const clock = Date.parse(`${p.last}T23:55:00+08:00`);
			const keyScreened = async () =>
				(
					await tx.query<{ n: number }>(
						'SELECT sum(key_area_screened_cum)::int AS n FROM grid_day WHERE day = $1',
						[p.last]
					)
				)[0].n;
			const flagged = async () =>
				(
					await tx.query<{ n: number }>(
						"SELECT count(*)::int AS n FROM person WHERE key_area AND starts_with(origin, '山东省')"
					)
				)[0].n;
			const [shandong] = await tx.query<{ all: number; screened: number }>(
				`SELECT count(*)::int AS all,
				        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id AND s.screened_at <= $1::timestamptz))::int AS screened
				 FROM person p WHERE starts_with(origin, '山东省')`,
				[new Date(clock).toISOString()]
			);
			expect(shandong.all).toBeGreaterThan(0);
			expect(await flagged()).toBe(0);
			const before = await keyScreened();

			const added = await changeKeyArea(tx, p.subdistrictId, { add: '山东省' }, period, clock);
			expect(added).toEqual({ changed: true, reflagged: shandong.all });
			expect(await flagged()).toBe(shandong.all);
			expect(await keyScreened()).toBe(before + shandong.screened);
			expect(await changeKeyArea(tx, p.subdistrictId, { add: '山东省' }, period, clock)).toEqual({
				changed: false,
				reflagged: 0
			});
			const listed = await tx.query<{ origin: string }>(
				'SELECT origin FROM key_area WHERE subdistrict_id = $1 ORDER BY origin',
				[p.subdistrictId]
			);
			expect(listed.map((r) => r.origin)).toContain('山东省');

			const removed = await changeKeyArea(tx, p.subdistrictId, { remove: '山东省' }, period, clock);
			expect(removed).toEqual({ changed: true, reflagged: shandong.all });
			expect(await flagged()).toBe(0);
			expect(await keyScreened()).toBe(before);
			expect(cleanOrigin(' 湖北 省 ')).toBe('湖北省');
			expect(cleanOrigin('湖')).toBeNull();
			expect(cleanOrigin('湖北\u0000')).toBeNull();
		});
	});
});
