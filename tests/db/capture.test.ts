import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';
import type { AccessScope } from '../../src/lib/server/db/scope';
import { TEST_SECRET, hashIdNumber } from '../../src/lib/server/secret';
import { DEFAULT_GAP_SETTINGS } from '../../src/lib/features/gaps/model/gaps';
import { syncGaps } from '../../src/lib/features/gaps/server/gaps.server';
import {
	gridAddresses,
	householdsAt
} from '../../src/lib/features/capture/server/addresses.server';
import { registerReturnee } from '../../src/lib/features/capture/server/returnees.server';
import {
	reportableCommunity,
	sendDailyReport
} from '../../src/lib/features/capture/server/daily-reports.server';
import { parseAddress } from '../../src/lib/features/capture/model/address';
import { as, idNumber, place, refusal } from './capture-support';

describe('capture: addresses and returnees', () => {
	it('numbers buildings in their compound and rooms by unit, as migration 0017 numbers older rows', async () => {
		await inRolledBackTransaction(async (tx) => {
			const [counts] = await tx.query<{
				households: number;
				unnumbered: number;
				differ: number;
				buildingsDiffer: number;
				duplicates: number;
			}>(
				`SELECT (SELECT count(*)::int FROM household) AS households,
				        (SELECT count(*)::int FROM household WHERE unit IS NULL OR room IS NULL) AS unnumbered,
				        (SELECT count(*)::int FROM household
				         WHERE unit IS DISTINCT FROM (substring(code FROM '-\\d{2}(\\d{2})$')::int - 1) / 2 + 1
				            OR room IS DISTINCT FROM substring(code FROM '-(\\d{2})\\d{2}$')::int::text || lpad((((substring(code FROM '-\\d{2}(\\d{2})$')::int - 1) % 2) + 1)::text, 2, '0')) AS differ,
				        (SELECT count(*)::int FROM building b JOIN (
				           SELECT id, row_number() OVER (PARTITION BY compound_id, CASE WHEN compound_id IS NULL THEN grid_id END ORDER BY code)::int AS n FROM building
				         ) x ON x.id = b.id WHERE b.number IS DISTINCT FROM x.n) AS "buildingsDiffer",
				        (SELECT count(*)::int FROM (SELECT building_id, unit, room FROM household GROUP BY 1, 2, 3 HAVING count(*) > 1) d) AS duplicates`
			);
			expect(counts.households).toBeGreaterThan(160_000);
			expect(counts).toMatchObject({ unnumbered: 0, differ: 0, buildingsDiffer: 0, duplicates: 0 });
		});
	});

	it('lists a grid’s addresses and finds one typed in the usual forms, within the caller’s grids only', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const mine: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const other: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.otherGridId]
			};
			const list = await as(tx, mine, () => gridAddresses(tx, p.gridId));
			expect(list.length).toBeGreaterThan(100);
			const [{ n }] = await tx.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM household WHERE grid_id = $1',
				[p.gridId]
			);
			expect(list.length).toBe(n);
			const h = list.find((x) => x.compound !== null && x.unit === '2单元')!;
			expect(h.building).toMatch(/^\d+幢$/);
			expect(h.room).toMatch(/^\d{3,4}$/);
			const typed = [
				`${h.compound}${h.building}${h.unit}${h.room}室`,
				`${h.compound} ${h.building.replace('幢', '栋')} ${h.unit} ${h.room}`,
				`${h.compound}${h.building.replace('幢', '-')}2-${h.room}`
			];
			for (const t of typed)
				expect(await as(tx, mine, () => householdsAt(tx, parseAddress(t))), t).toEqual([
					h.householdId
				]);
			// Another grid's leader gets nothing from this grid.
			expect(await as(tx, other, () => gridAddresses(tx, p.gridId))).toEqual([]);
			expect(await as(tx, other, () => householdsAt(tx, parseAddress(typed[0])))).toEqual([]);
		});
	});

	it('registers a returnee: masked, hashed, key area flagged, counted from the arrival day, audited; an open gap 24 h after arrival', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const scope: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const [household] = await as(tx, scope, () => gridAddresses(tx, p.gridId));
			const arrivedAt = Date.parse(`${p.last}T09:00:00+08:00`);
			const clock = arrivedAt + 3_600_000;
			const dueBefore = await tx.query<{ due: number }>(
				'SELECT returnees_due AS due FROM grid_day WHERE grid_id = $1 AND day = $2',
				[p.gridId, p.last]
			);
			const created = await as(tx, scope, () =>
				registerReturnee(
					tx,
					scope,
					{
						name: '张三丰',
						phone: '13800138000',
						idNumber: idNumber(1),
						origin: '湖北省武汉市江岸区',
						arrivedAt,
						householdId: household.householdId
					},
					p.actor,
					{
						period: { first: '2020-01-20', last: p.last },
						clock,
						settings: DEFAULT_GAP_SETTINGS,
						secret: TEST_SECRET,
						lang: 'zh-CN'
					}
				)
			);
			expect(created).toMatchObject({
				householdId: household.householdId,
				grid: p.gridCode,
				nameMasked: '张*丰',
				phoneMasked: '138****8000',
				keyArea: true,
				arrivalDay: p.last
			});
			const [row] = await tx.query<Record<string, unknown>>(
				'SELECT id_hash, name_masked, phone_masked, returnee, arrival_date::text AS arrival, grid_id FROM person WHERE id = $1',
				[created.personId]
			);
			expect(row).toEqual({
				id_hash: hashIdNumber(TEST_SECRET, idNumber(1)),
				name_masked: '张*丰',
				phone_masked: '138****8000',
				returnee: true,
				arrival: p.last,
				grid_id: p.gridId
			});
			// Nothing of the raw number, name or phone anywhere in the row.
			expect(JSON.stringify(row)).not.toContain('13800138000');
			const [due] = await tx.query<{ due: number }>(
				'SELECT returnees_due AS due FROM grid_day WHERE grid_id = $1 AND day = $2',
				[p.gridId, p.last]
			);
			expect(due.due).toBe(dueBefore[0].due + 1);
			const audit = await tx.query<{ action: string; target: string }>(
				`SELECT action, target_id AS target FROM audit_log WHERE action = 'person.create' ORDER BY id DESC LIMIT 1`
			);
			expect(audit).toEqual([{ action: 'person.create', target: String(created.personId) }]);

			// The 24-hour rule: not a gap 23 h after arrival, a gap 24 h and a minute after.
			const listed = async () => {
				const rows = await tx.query<{ persons: number[] | null }>(
					`SELECT (SELECT array_agg(x::int) FROM jsonb_array_elements_text(detail -> 'persons') x) AS persons
					 FROM gap_item WHERE grid_id = $1 AND rule = 'returnee_unscreened' AND closed_at IS NULL`,
					[p.gridId]
				);
				return rows.some((r) => (r.persons ?? []).includes(created.personId));
			};
			await syncGaps(tx, p.subdistrictId, arrivedAt + 23 * 3_600_000, { gridId: p.gridId });
			expect(await listed()).toBe(false);
			await syncGaps(tx, p.subdistrictId, arrivedAt + 24 * 3_600_000 + 60_000, {
				gridId: p.gridId
			});
			expect(await listed()).toBe(true);
		});
	});

	it('refuses an ID number registered anywhere in the subdistrict, saying where; a household outside the caller’s grids; writes nothing', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const mine: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			const other: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.otherGridId]
			};
			const [household] = await as(tx, mine, () => gridAddresses(tx, p.gridId));
			const [otherHousehold] = await as(tx, other, () => gridAddresses(tx, p.otherGridId));
			const context = {
				period: { first: '2020-01-20', last: p.last },
				clock: Date.parse(`${p.last}T12:00:00+08:00`),
				settings: DEFAULT_GAP_SETTINGS,
				secret: TEST_SECRET,
				lang: 'zh-CN' as const
			};
			const input = {
				name: '李四',
				phone: '13900139000',
				idNumber: idNumber(2),
				origin: '安徽省合肥市',
				arrivedAt: Date.parse(`${p.last}T08:00:00+08:00`)
			};
			const first = await as(tx, mine, () =>
				registerReturnee(
					tx,
					mine,
					{ ...input, householdId: household.householdId },
					p.actor,
					context
				)
			);
			expect(first.keyArea).toBe(false);
			const [{ n: before }] = await tx.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM person'
			);
			// From another grid: told the community and grid, not who.
			const elsewhere = await refusal(
				as(tx, other, () =>
					registerReturnee(
						tx,
						other,
						{ ...input, householdId: otherHousehold.householdId },
						p.actor,
						context
					)
				)
			);
			expect(elsewhere.status).toBe(409);
			expect(elsewhere.body.field).toBe('idNumber');
			expect(elsewhere.body.message).toContain(`${p.gridCode} 网格`);
			expect(elsewhere.body.message).not.toContain(String(first.personId));
			// From the same grid: which person it is.
			const here = await refusal(
				as(tx, mine, () =>
					registerReturnee(
						tx,
						mine,
						{ ...input, householdId: household.householdId },
						p.actor,
						context
					)
				)
			);
			expect(here.status).toBe(409);
			expect(here.body.message).toContain(`人员 ${first.personId}`);
			// A household of another grid is not found for this grid's leader.
			const outside = await refusal(
				as(tx, mine, () =>
					registerReturnee(
						tx,
						mine,
						{ ...input, idNumber: idNumber(3), householdId: otherHousehold.householdId },
						p.actor,
						context
					)
				)
			);
			expect(outside).toMatchObject({ status: 400, body: { field: 'householdId' } });
			// An address that does not exist.
			const nowhere = await refusal(
				as(tx, mine, () =>
					registerReturnee(
						tx,
						mine,
						{ ...input, idNumber: idNumber(4), address: '不存在小区99幢9单元9909' },
						p.actor,
						context
					)
				)
			);
			expect(nowhere).toMatchObject({ status: 400, body: { field: 'address' } });
			const [{ n: after }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person');
			expect(after).toBe(before);
		});
	});
});

describe('capture: community daily reports', () => {
	it('prefills from the records, confirms, refuses a correction without its reason, keeps every version, marks a late one, and closes the missing-report item', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const [community] = await tx.query<{ id: number; code: string }>(
				`SELECT c.id, c.code FROM community c JOIN grid g ON g.community_id = c.id WHERE g.id = $1`,
				[p.gridId]
			);
			await tx.query(
				'DELETE FROM daily_report WHERE community_id = $1 AND report_date = $2::date',
				[community.id, p.last]
			);
			const all: AccessScope = { subdistrictId: p.subdistrictId, personScope: 'all', gridIds: [] };
			const period = { first: '2020-01-20', last: p.last };
			const afterCutoff = Date.parse(`${p.last}T22:30:00+08:00`);
			// The missing report is an item once the cut-off has passed.
			await syncGaps(tx, p.subdistrictId, afterCutoff, { settings: DEFAULT_GAP_SETTINGS });
			const missing = async () =>
				(
					await tx.query(
						`SELECT 1 FROM gap_item WHERE community_id = $1 AND rule = 'report_missing' AND closed_at IS NULL AND detail->>'day' = $2`,
						[community.id, p.last]
					)
				).length;
			expect(await missing()).toBe(1);

			const [sums] = await tx.query<{ h: number; s: number }>(
				'SELECT sum(observed_households)::int AS h, sum(screened_today)::int AS s FROM grid_day WHERE community_id = $1 AND day = $2::date',
				[community.id, p.last]
			);
			const context = {
				period,
				clock: afterCutoff,
				at: afterCutoff,
				settings: DEFAULT_GAP_SETTINGS
			};
			const first = await as(tx, all, () =>
				sendDailyReport(
					tx,
					all,
					community,
					{ community: community.code, date: p.last },
					p.actor,
					context
				)
			);
			expect(first.prefilled.observedHouseholds).toBe(sums.h);
			expect(first.prefilled.screenedToday).toBe(sums.s);
			expect(first.current).toMatchObject({ version: 1, late: true, figures: first.prefilled });
			expect(await missing()).toBe(0);

			// A corrected figure needs its reason; nothing is written without it.
			const refused = await refusal(
				as(tx, all, () =>
					sendDailyReport(
						tx,
						all,
						community,
						{
							community: community.code,
							date: p.last,
							figures: { observedHouseholds: sums.h + 2 }
						},
						p.actor,
						context
					)
				)
			);
			expect(refused).toMatchObject({ status: 400, body: { field: 'reasons.observedHouseholds' } });
			const corrected = await as(tx, all, () =>
				sendDailyReport(
					tx,
					all,
					community,
					{
						community: community.code,
						date: p.last,
						figures: { observedHouseholds: sums.h + 2 },
						reasons: { observedHouseholds: '两户当天转入，系统未登记' }
					},
					p.actor,
					context
				)
			);
			expect(corrected.current).toMatchObject({
				version: 2,
				figures: { observedHouseholds: sums.h + 2, screenedToday: sums.s }
			});
			expect(corrected.versions.map((v) => v.version)).toEqual([1, 2]);
			expect(corrected.versions[0].figures.observedHouseholds).toBe(sums.h);
			expect(corrected.versions[1].reasons).toEqual({
				observedHouseholds: '两户当天转入，系统未登记'
			});
			const [row] = await tx.query<{ h: number }>(
				'SELECT observed_households AS h FROM daily_report WHERE community_id = $1 AND report_date = $2::date',
				[community.id, p.last]
			);
			expect(row.h).toBe(sums.h + 2);
			// Made before the cut-off (queued offline at 20:00, sent at 22:30) it is on time; a day after today is refused.
			const onTime = await as(tx, all, () =>
				sendDailyReport(tx, all, community, { community: community.code, date: p.last }, p.actor, {
					...context,
					at: Date.parse(`${p.last}T20:00:00+08:00`)
				})
			);
			expect(onTime.versions.at(-1)!.late).toBe(false);
			const future = await refusal(
				as(tx, all, () =>
					sendDailyReport(
						tx,
						all,
						community,
						{ community: community.code, date: '2020-03-05' },
						p.actor,
						context
					)
				)
			);
			expect(future).toMatchObject({ status: 400, body: { field: 'date' } });
		});
	});

	it('lets a community lead report only their own community, and a grid leader none', async () => {
		await inRolledBackTransaction(async (tx) => {
			const p = await place(tx);
			const [own] = await tx.query<{ code: string; grids: number[] }>(
				`SELECT c.code, array_agg(g.id) AS grids FROM community c JOIN grid g ON g.community_id = c.id WHERE c.id = (SELECT community_id FROM grid WHERE id = $1) GROUP BY c.code`,
				[p.gridId]
			);
			const [other] = await tx.query<{ code: string }>(
				`SELECT code FROM community WHERE code <> $1 ORDER BY code LIMIT 1`,
				[own.code]
			);
			const lead: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: own.grids
			};
			expect(
				(await as(tx, lead, () => reportableCommunity(tx, lead, 'community_lead', own.code))).code
			).toBe(own.code);
			expect(
				await refusal(
					as(tx, lead, () => reportableCommunity(tx, lead, 'community_lead', other.code))
				)
			).toMatchObject({ status: 403 });
			const gridLeader: AccessScope = {
				subdistrictId: p.subdistrictId,
				personScope: 'grids',
				gridIds: [p.gridId]
			};
			expect(
				await refusal(
					as(tx, gridLeader, () => reportableCommunity(tx, gridLeader, 'grid_leader', own.code))
				)
			).toMatchObject({ status: 403 });
			expect(
				await refusal(
					as(tx, lead, () => reportableCommunity(tx, lead, 'community_lead', '999999999999'))
				)
			).toMatchObject({ status: 404 });
		});
	});
});
