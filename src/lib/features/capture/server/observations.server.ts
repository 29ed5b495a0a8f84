/**
 * Home observation from the phone: a household's card (members, the observation running today, the
 * day's health checks, its service tasks), starting an observation, the twice-daily health check,
 * and ending it. Every write runs in the caller's scope (row-level security), refreshes the grid's
 * figures and gaps in the same transaction, and is audited.
 */
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
import { writeAudit } from '../../../server/audit';
import { addDays, beijingDay, isCalendarDay } from '../../../core/time';
import { badField, idField, isPlainText } from '../../../server/http';
import { refreshAfterWrite } from '../../../server/rollup';
import { syncGaps } from '../../gaps/server/gaps.server';
import type { GapSettings } from '../../gaps/model/gaps';
import { say } from '../../../server/say';
import { addressText } from '../model/address';
import {
	SYMPTOMS,
	type HealthCheckRecorded,
	type HouseholdCard,
	type MemberCheck,
	type ObservationEnded,
	type ObservationStarted,
	type Symptom
} from '../contract';
import { serviceSchedule } from '../model/services';
import { findHousehold } from './addresses.server';
import { householdTasks } from './services.server';

/** From this temperature (°C) a check is an alert: screen or refer. */
export const FEVER_FROM = 37.3;
const MAX_MEMBERS = 20;

const oneOf = <const T extends readonly string[]>(values: T) =>
	v.picklist(values, () => {
		const w = say();
		return w.gaps_expected_one_of({ values: values.join(w.core_list_separator()) });
	});
const householdField = idField(() => say().capture_household_not_found({ id: '?' }));
const personIds = v.pipe(
	v.array(
		idField(() => say().capture_persons_required()),
		() => say().capture_persons_required()
	),
	v.minLength(1, () => say().capture_persons_required()),
	v.maxLength(MAX_MEMBERS, () => say().capture_persons_required())
);

/** POST /api/observations */
export const ObservationStartBody = v.object({
	householdId: householdField,
	personIds,
	days: v.optional(
		v.pipe(
			v.number(() => say().capture_observation_days()),
			v.integer(() => say().capture_observation_days()),
			v.minValue(1, () => say().capture_observation_days()),
			v.maxValue(28, () => say().capture_observation_days())
		),
		14
	),
	startDate: v.optional(
		v.pipe(
			v.string(() => say().capture_report_date()),
			v.check(isCalendarDay, () => say().capture_report_date())
		)
	),
	reason: v.pipe(
		v.string(() => say().capture_observation_reason()),
		v.check(isPlainText, () => say().core_control_characters()),
		v.trim(),
		v.check(
			(s) => [...s].length >= 1 && [...s].length <= 100,
			() => say().capture_observation_reason()
		)
	)
});
export type ObservationStartInput = v.InferOutput<typeof ObservationStartBody>;

/** POST /api/observations/checks */
export const HealthCheckBody = v.object({
	householdId: householdField,
	checks: v.pipe(
		v.array(
			v.object({
				personId: idField(() => say().capture_checks_required()),
				temperature: v.pipe(
					v.number(() => say().capture_temperature_range()),
					v.minValue(34, () => say().capture_temperature_range()),
					v.maxValue(43, () => say().capture_temperature_range()),
					v.transform((t) => Math.round(t * 10) / 10)
				),
				symptoms: v.optional(
					v.pipe(
						v.array(oneOf(SYMPTOMS)),
						v.maxLength(SYMPTOMS.length),
						v.transform((list) => [...new Set(list)])
					),
					[]
				)
			}),
			() => say().capture_checks_required()
		),
		v.minLength(1, () => say().capture_checks_required()),
		v.maxLength(MAX_MEMBERS, () => say().capture_checks_required())
	)
});
export type HealthCheckInput = v.InferOutput<typeof HealthCheckBody>;

/** POST /api/observations/end */
export const ObservationEndBody = v.object({
	householdId: householdField,
	outcome: oneOf(['released', 'transferred'] as const)
});
export type ObservationEndInput = v.InferOutput<typeof ObservationEndBody>;

interface Actor {
	id: number;
	username: string;
	address: string;
}
interface Context {
	period: { first: string; last: string };
	clock: number;
	settings: GapSettings;
}

/**
 * The household in the caller's scope, or a 404 naming it. `lock`: its row is locked to the end of
 * the transaction, so that two phones starting, checking or ending its observation are taken in turn.
 */
async function household(tx: Queryable, householdId: number, lock = false) {
	if (lock) await tx.query('SELECT 1 FROM household WHERE id = $1 FOR UPDATE', [householdId]);
	const found = await findHousehold(tx, householdId);
	if (!found)
		error(404, {
			message: say().capture_household_not_found({ id: String(householdId) }),
			code: 'not_found',
			field: 'householdId'
		});
	return found;
}

/** Observation rows of the household running on `day` and not ended before `at`. */
async function runningObservations(tx: Queryable, householdId: number, day: string, at: number) {
	return tx.query<{
		id: number;
		personId: number;
		startDate: string;
		endDate: string;
		reason: string | null;
	}>(
		`SELECT id, person_id AS "personId", start_date::text AS "startDate", end_date::text AS "endDate", reason
		 FROM observation
		 WHERE household_id = $1 AND start_date <= $2::date AND $2::date < end_date
		   AND (status <> 'transferred' OR ended_at IS NOT NULL)
		   AND (ended_at IS NULL OR ended_at > to_timestamp($3 / 1000.0))
		 ORDER BY person_id`,
		[householdId, day, at]
	);
}

/** GET /api/households/ID: the household, its registered members, today's observation and checks, its tasks. */
export async function householdCard(
	tx: Queryable,
	householdId: number,
	clock: number
): Promise<HouseholdCard> {
	const found = await household(tx, householdId);
	const today = beijingDay(clock);
	const running = await runningObservations(tx, householdId, today, clock);
	const observed = new Set(running.map((o) => o.personId));
	const persons = await tx.query<{
		personId: number;
		nameMasked: string;
		phoneMasked: string | null;
		returnee: boolean;
	}>(
		`SELECT id AS "personId", name_masked AS "nameMasked", phone_masked AS "phoneMasked", returnee
		 FROM person WHERE household_id = $1 ORDER BY id`,
		[householdId]
	);
	const checks = await tx.query<MemberCheck>(
		`SELECT person_id AS "personId", to_char(checked_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "checkedAt",
		        temperature::float8 AS temperature, symptoms
		 FROM health_check
		 WHERE household_id = $1 AND (checked_at AT TIME ZONE 'Asia/Shanghai')::date = $2::date
		   AND checked_at <= to_timestamp($3 / 1000.0)
		 ORDER BY checked_at DESC, person_id`,
		[householdId, today, clock]
	);
	const first = running[0];
	return {
		householdId,
		grid: found.gridCode,
		address: addressText(found),
		members: found.members,
		persons: persons.map((p) => ({ ...p, observed: observed.has(p.personId) })),
		observation: first
			? {
					startDate: running.reduce((d, o) => (o.startDate < d ? o.startDate : d), first.startDate),
					endDate: running.reduce((d, o) => (o.endDate > d ? o.endDate : d), first.endDate),
					reason: first.reason,
					personIds: running.map((o) => o.personId)
				}
			: null,
		checksToday: checks,
		tasks: await householdTasks(tx, householdId, clock)
	};
}

/** Refreshes the grid's figures from `day` on and its gaps, after an observation write. */
async function refresh(
	tx: Queryable,
	scope: AccessScope,
	context: Context,
	day: string,
	grid: { gridId: number | null; gridCode: string | null }
) {
	await refreshAfterWrite(
		tx,
		scope.subdistrictId,
		context.period,
		day,
		grid.gridCode,
		true,
		context.clock
	);
	if (grid.gridId !== null)
		await syncGaps(tx, scope.subdistrictId, context.clock, {
			gridId: grid.gridId,
			settings: context.settings
		});
}

/**
 * Starts a household's home observation for the chosen registered members: from `startDate` (today
 * unless said; not in the future, not before the data) for `days` days. A member already under
 * observation on that day is a 409 saying until when.
 */
export async function startObservation(
	tx: Queryable,
	scope: AccessScope,
	input: ObservationStartInput,
	at: number,
	actor: Actor,
	context: Context
): Promise<ObservationStarted> {
	const w = say();
	// The day it was made on the phone: a start queued at 23:50 and sent after midnight is that day's.
	const today = beijingDay(at);
	const start = input.startDate ?? today;
	if (start > today) badField('startDate', w.capture_observation_start_future({ today }));
	if (start < context.period.first)
		badField('startDate', w.capture_arrived_before_period({ first: context.period.first }));
	const found = await household(tx, input.householdId, true);
	const ids = [...new Set(input.personIds)];
	const members = await tx.query<{ id: number }>(
		'SELECT id FROM person WHERE household_id = $1 AND id = ANY ($2::int[])',
		[input.householdId, ids]
	);
	const missing = ids.filter((id) => !members.some((m) => m.id === id));
	if (missing.length)
		badField('personIds', w.capture_person_not_in_household({ id: String(missing[0]) }));
	const end = addDays(start, input.days);
	const overlapping = await tx.query<{ personId: number; name: string; endDate: string }>(
		`SELECT o.person_id AS "personId", p.name_masked AS name, max(o.end_date)::text AS "endDate"
		 FROM observation o JOIN person p ON p.id = o.person_id
		 WHERE o.person_id = ANY ($1::int[]) AND o.start_date < $3::date AND $2::date < o.end_date
		   AND (o.status <> 'transferred' OR o.ended_at IS NOT NULL)
		   AND (o.ended_at IS NULL OR o.ended_at > to_timestamp($4 / 1000.0))
		 GROUP BY o.person_id, p.name_masked ORDER BY o.person_id`,
		[ids, start, end, at]
	);
	if (overlapping.length)
		error(409, {
			message: w.capture_already_observed({
				name: overlapping[0].name,
				end: overlapping[0].endDate
			}),
			code: 'already_observed',
			field: 'personIds'
		});
	for (const personId of ids)
		await tx.query(
			`INSERT INTO observation (subdistrict_id, household_id, person_id, start_date, end_date, status, reason)
			 VALUES ($1, $2, $3, $4::date, $5::date, 'active', $6)`,
			[scope.subdistrictId, input.householdId, personId, start, end, input.reason]
		);
	// The household's services for the period (health visits, garbage, groceries), from today on.
	const tasks = serviceSchedule(start, input.days, at);
	await tx.query(
		`INSERT INTO service_task (subdistrict_id, household_id, kind, due_at)
		 SELECT $1, $2, t.kind, to_timestamp(t.due / 1000.0)
		 FROM unnest($3::text[], $4::float8[]) AS t(kind, due)
		 -- A household already served that day (another member's observation) gets no second round.
		 WHERE NOT EXISTS (
		   SELECT 1 FROM service_task x
		   WHERE x.household_id = $2 AND x.kind = t.kind
		     AND (x.due_at AT TIME ZONE 'Asia/Shanghai')::date = (to_timestamp(t.due / 1000.0) AT TIME ZONE 'Asia/Shanghai')::date)`,
		[scope.subdistrictId, input.householdId, tasks.map((t) => t.kind), tasks.map((t) => t.dueAt)]
	);
	await refresh(tx, scope, context, start, found);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'observation.start',
		targetKind: 'household',
		targetId: String(input.householdId),
		detail: {
			grid: found.gridCode,
			persons: ids,
			startDate: start,
			endDate: end,
			reason: input.reason
		},
		address: actor.address
	});
	return {
		householdId: input.householdId,
		grid: found.gridCode,
		startDate: start,
		endDate: end,
		personIds: ids
	};
}

/**
 * Records a health check of members under observation, at `at` (when it was made; a queued one
 * earlier). The household's health visit due that day, if still open, is marked done by it; the
 * gap rule "health check missing" counts the check itself.
 */
export async function recordHealthCheck(
	tx: Queryable,
	scope: AccessScope,
	input: HealthCheckInput,
	at: number,
	actor: Actor,
	context: Context
): Promise<HealthCheckRecorded> {
	const w = say();
	const found = await household(tx, input.householdId, true);
	const day = beijingDay(at);
	const running = await runningObservations(tx, input.householdId, day, at);
	if (running.length === 0)
		error(409, { message: w.capture_no_observation(), code: 'not_observed', field: 'householdId' });
	const byPerson = new Map(running.map((o) => [o.personId, o.id]));
	const seen = new Set<number>();
	for (const check of input.checks) {
		if (!byPerson.has(check.personId))
			badField('checks', w.capture_person_not_observed({ id: String(check.personId) }));
		if (seen.has(check.personId))
			badField('checks', w.capture_person_twice({ id: String(check.personId) }));
		seen.add(check.personId);
	}
	for (const check of input.checks)
		await tx.query(
			`INSERT INTO health_check (subdistrict_id, household_id, observation_id, person_id, checked_at, temperature, symptoms)
			 VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7::text[])`,
			[
				scope.subdistrictId,
				input.householdId,
				byPerson.get(check.personId),
				check.personId,
				at,
				check.temperature,
				check.symptoms
			]
		);
	// The day's health visit (due that day, still open) is done by this check.
	const [visit] = await tx.query<{ id: number }>(
		`UPDATE service_task SET done_at = to_timestamp($3 / 1000.0)
		 WHERE done_at IS NULL AND missed_at IS NULL AND id = (
		   SELECT id FROM service_task
		   WHERE household_id = $1 AND kind = 'visit' AND done_at IS NULL AND missed_at IS NULL
		     AND (due_at AT TIME ZONE 'Asia/Shanghai')::date = $2::date
		   ORDER BY due_at, id LIMIT 1)
		 RETURNING id`,
		[input.householdId, day, at]
	);
	const alert = input.checks.some(
		(c) => c.temperature >= FEVER_FROM || (c.symptoms as Symptom[]).length > 0
	);
	await refresh(tx, scope, { ...context }, day, found);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'observation.check',
		targetKind: 'household',
		targetId: String(input.householdId),
		detail: {
			grid: found.gridCode,
			day,
			members: input.checks.length,
			alert,
			visitTaskId: visit?.id ?? null
		},
		address: actor.address
	});
	return {
		householdId: input.householdId,
		checkedAt: new Date(at).toISOString(),
		members: input.checks.length,
		alert,
		visitTaskId: visit?.id ?? null
	};
}

/**
 * Ends the household's observation running now: released (not observed from today on; one begun
 * today keeps today) or transferred (to hospital or central quarantine). Earlier days keep counting.
 */
export async function endObservation(
	tx: Queryable,
	scope: AccessScope,
	input: ObservationEndInput,
	at: number,
	actor: Actor,
	context: Context
): Promise<ObservationEnded> {
	const found = await household(tx, input.householdId, true);
	const day = beijingDay(at);
	const running = await runningObservations(tx, input.householdId, day, at);
	if (running.length === 0)
		error(409, {
			message: say().capture_no_observation(),
			code: 'not_observed',
			field: 'householdId'
		});
	const rows = await tx.query<{ endDate: string }>(
		`UPDATE observation
		 SET status = $2, ended_at = to_timestamp($4 / 1000.0),
		     end_date = greatest($3::date, start_date + 1)
		 WHERE id = ANY ($1::int[])
		 RETURNING end_date::text AS "endDate"`,
		[running.map((o) => o.id), input.outcome, day, at]
	);
	// Services not yet due will not happen.
	const removed = await tx.query<{ id: number }>(
		`DELETE FROM service_task
		 WHERE household_id = $1 AND done_at IS NULL AND missed_at IS NULL AND due_at > to_timestamp($2 / 1000.0)
		 RETURNING id`,
		[input.householdId, at]
	);
	await refresh(tx, scope, context, day, found);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'observation.end',
		targetKind: 'household',
		targetId: String(input.householdId),
		detail: {
			grid: found.gridCode,
			outcome: input.outcome,
			day,
			persons: rows.length,
			tasksRemoved: removed.length
		},
		address: actor.address
	});
	return {
		householdId: input.householdId,
		outcome: input.outcome,
		endDate: rows.reduce((d, r) => (r.endDate > d ? r.endDate : d), rows[0].endDate),
		persons: rows.length
	};
}
