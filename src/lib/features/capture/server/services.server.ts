/**
 * Service tasks from the phone: the grid's tasks of the day (health visits, garbage collection,
 * deliveries to observed households) and marking one done, or missed with its reason.
 */
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
import { writeAudit } from '../../../server/audit';
import { addDays, beijingDateTime, beijingDay } from '../../../core/time';
import { badField, isPlainText } from '../../../server/http';
import { refreshAfterWrite } from '../../../server/rollup';
import { syncGaps } from '../../gaps/server/gaps.server';
import type { GapSettings } from '../../gaps/model/gaps';
import { say } from '../../../server/say';
import { buildingLabel, unitLabel, addressText } from '../model/address';
import type { ServiceKind, ServiceTaskItem } from '../contract';

/** How many days back a task still open is listed. */
const LOOK_BACK_DAYS = 2;

/** POST /api/service-tasks/ID */
export const ServiceOutcomeBody = v.object({
	outcome: v.picklist(['done', 'missed'] as const, () => {
		const w = say();
		return w.gaps_expected_one_of({ values: ['done', 'missed'].join(w.core_list_separator()) });
	}),
	reason: v.optional(
		v.pipe(
			v.string(() => say().capture_missed_reason()),
			v.check(isPlainText, () => say().core_control_characters()),
			v.trim(),
			v.check(
				(s) => [...s].length <= 100,
				() => say().capture_missed_reason()
			)
		)
	)
});
export type ServiceOutcomeInput = v.InferOutput<typeof ServiceOutcomeBody>;

interface TaskRow {
	id: number;
	kind: ServiceKind;
	dueAt: string;
	householdId: number;
	gridId: number | null;
	gridCode: string | null;
	compound: string | null;
	buildingNumber: number | null;
	buildingCode: string | null;
	unit: number | null;
	room: string;
	doneAt: string | null;
	missedAt: string | null;
	missedReason: string | null;
}

const SELECT_TASK = `SELECT t.id, t.kind, t.due_at AS "dueAt", t.household_id AS "householdId",
		t.grid_id AS "gridId", g.code AS "gridCode", cp.name AS compound, b.number AS "buildingNumber",
		b.code AS "buildingCode", h.unit, coalesce(h.room, h.code) AS room,
		t.done_at AS "doneAt", t.missed_at AS "missedAt", t.missed_reason AS "missedReason"
	FROM service_task t
	JOIN household h ON h.id = t.household_id
	LEFT JOIN building b ON b.id = h.building_id
	LEFT JOIN compound cp ON cp.id = b.compound_id
	LEFT JOIN grid g ON g.id = t.grid_id`;

const iso = (value: string | Date | null) =>
	value === null ? null : new Date(value).toISOString();

/** A task as the phone sees it at `clock`: done or missed only once that has happened. */
function asItem(row: TaskRow, clock: number): ServiceTaskItem {
	const done = row.doneAt !== null && Date.parse(iso(row.doneAt)!) <= clock;
	const missed = !done && row.missedAt !== null && Date.parse(iso(row.missedAt)!) <= clock;
	return {
		id: row.id,
		kind: row.kind,
		dueAt: iso(row.dueAt)!,
		householdId: row.householdId,
		address: addressText({
			compound: row.compound,
			building: buildingLabel(row.buildingNumber, row.compound !== null, row.buildingCode ?? ''),
			unit: unitLabel(row.unit),
			room: row.room
		}),
		status: done ? 'done' : missed ? 'missed' : 'open',
		doneAt: done ? iso(row.doneAt) : null,
		missedAt: missed ? iso(row.missedAt) : null,
		missedReason: missed ? row.missedReason : null
	};
}

/** Tasks due today, and earlier ones (two days back) still open at `clock`; open first, then by time. */
function listed(rows: TaskRow[], clock: number): ServiceTaskItem[] {
	const today = beijingDay(clock);
	return rows
		.map((row) => asItem(row, clock))
		.filter((t) => beijingDay(Date.parse(t.dueAt)) === today || t.status === 'open')
		.sort(
			(a, b) =>
				Number(a.status !== 'open') - Number(b.status !== 'open') ||
				a.dueAt.localeCompare(b.dueAt) ||
				a.id - b.id
		);
}

/** The grid's tasks for the phone (see ServiceTaskList), in the caller's scope. */
export async function gridTasks(
	tx: Queryable,
	gridId: number,
	clock: number
): Promise<ServiceTaskItem[]> {
	const today = beijingDay(clock);
	const rows = await tx.query<TaskRow>(
		`${SELECT_TASK}
		 WHERE t.grid_id = $1
		   AND t.due_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
		   AND t.due_at < ($3::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
		 ORDER BY t.due_at, t.id
		 LIMIT 2000`,
		[gridId, addDays(today, -LOOK_BACK_DAYS), addDays(today, 1)]
	);
	return listed(rows, clock);
}

/** One household's tasks, listed the same way. */
export async function householdTasks(
	tx: Queryable,
	householdId: number,
	clock: number
): Promise<ServiceTaskItem[]> {
	const today = beijingDay(clock);
	const rows = await tx.query<TaskRow>(
		`${SELECT_TASK}
		 WHERE t.household_id = $1
		   AND t.due_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
		   AND t.due_at < ($3::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
		 ORDER BY t.due_at, t.id`,
		[householdId, addDays(today, -LOOK_BACK_DAYS), addDays(today, 1)]
	);
	return listed(rows, clock);
}

/**
 * Marks a task done at `at`, or missed at `at` with its reason (required). A task already done or
 * missed is a 409 saying when; one due after today cannot be closed yet. The grid's figures for the
 * task's day and its gaps are brought up to date; audited.
 */
export async function closeTask(
	tx: Queryable,
	scope: AccessScope,
	taskId: number,
	input: ServiceOutcomeInput,
	at: number,
	actor: { id: number; username: string; address: string },
	context: { period: { first: string; last: string }; clock: number; settings: GapSettings }
): Promise<ServiceTaskItem> {
	const w = say();
	const reason = input.reason ? input.reason : null;
	if (input.outcome === 'missed' && reason === null) badField('reason', w.capture_missed_reason());
	const [row] = await tx.query<TaskRow>(`${SELECT_TASK} WHERE t.id = $1 FOR UPDATE OF t`, [taskId]);
	if (!row)
		error(404, {
			message: w.capture_task_not_found({ id: String(taskId) }),
			code: 'not_found'
		});
	const task = asItem(row, Number.MAX_SAFE_INTEGER);
	if (task.status === 'done')
		error(409, {
			message: w.capture_task_done_already({ at: beijingDateTime(Date.parse(task.doneAt!)) }),
			code: 'task_closed'
		});
	if (task.status === 'missed')
		error(409, {
			message: w.capture_task_missed_already({
				at: beijingDateTime(Date.parse(task.missedAt!)),
				reason: task.missedReason ?? ''
			}),
			code: 'task_closed'
		});
	const dueDay = beijingDay(Date.parse(task.dueAt));
	if (dueDay > beijingDay(at))
		error(409, { message: w.capture_task_not_due({ day: dueDay }), code: 'task_not_due' });
	await tx.query(
		input.outcome === 'done'
			? 'UPDATE service_task SET done_at = to_timestamp($2 / 1000.0) WHERE id = $1'
			: 'UPDATE service_task SET missed_at = to_timestamp($2 / 1000.0), missed_reason = $3 WHERE id = $1',
		input.outcome === 'done' ? [taskId, at] : [taskId, at, reason]
	);
	// The rollup counts a task on its due day (done that day, or overdue).
	await refreshAfterWrite(
		tx,
		scope.subdistrictId,
		context.period,
		dueDay,
		row.gridCode,
		false,
		context.clock
	);
	if (row.gridId !== null)
		await syncGaps(tx, scope.subdistrictId, context.clock, {
			gridId: row.gridId,
			settings: context.settings
		});
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: input.outcome === 'done' ? 'service.done' : 'service.missed',
		targetKind: 'service_task',
		targetId: String(taskId),
		detail: { grid: row.gridCode, kind: row.kind, householdId: row.householdId, dueDay, reason },
		address: actor.address
	});
	const [after] = await tx.query<TaskRow>(`${SELECT_TASK} WHERE t.id = $1`, [taskId]);
	return asItem(after, Number.MAX_SAFE_INTEGER);
}
