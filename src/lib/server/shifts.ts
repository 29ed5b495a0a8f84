/**
 * Shifts on the grid leader's phone: who is on duty in the grid now and next, and their arrival.
 * Marking a person arrived (or not) is what the running shift's staffing counts — checkpoint
 * staffing on the map, and the gap rule for a short-staffed running shift.
 */
import { SKILL_LABELS, type Skill } from '../domain/planner';
import type { Queryable } from './db/types';

/** A person may be marked arrived from this long before their shift starts until it ends. */
export const CHECK_IN_EARLY_MS = 30 * 60_000;
/** Shifts shown: those running now and those starting within this window. */
const AHEAD_MS = 12 * 3_600_000;

export interface ShiftView {
	id: number;
	/** The checkpoint's name for gate duty, else the duty ("排查", "居家服务"). */
	place: string;
	checkpointCode: string | null;
	duty: Skill;
	dutyLabel: string;
	staffCode: string;
	staffName: string;
	/** The plan that sent the person (a reinforcement), or null for the grid's own staff. */
	planId: number | null;
	startsAt: string;
	endsAt: string;
	checkedIn: boolean;
	/** Whether the person can be marked arrived (or not) now. */
	open: boolean;
}

/** The grid's running and coming shifts, in the caller's scope (row-level security), earliest first. */
export async function gridShifts(tx: Queryable, gridCode: string, clock: number, lang: 'zh-CN' | 'en'): Promise<ShiftView[]> {
	const rows = await tx.query<{ id: number; checkpointName: string | null; checkpointCode: string | null; duty: Skill; staffCode: string; staffName: string; planId: number | null; startsAt: Date; endsAt: Date; checkedIn: boolean }>(
		`SELECT s.id, c.name AS "checkpointName", c.code AS "checkpointCode", s.duty, st.code AS "staffCode", st.name_masked AS "staffName",
		        s.plan_id AS "planId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.checked_in AS "checkedIn"
		 FROM shift s
		 JOIN grid g ON g.id = s.grid_id
		 JOIN staff st ON st.id = s.staff_id
		 LEFT JOIN checkpoint c ON c.id = s.checkpoint_id
		 WHERE g.code = $1 AND s.ends_at > to_timestamp($2 / 1000.0) AND s.starts_at <= to_timestamp($3 / 1000.0)
		 ORDER BY s.starts_at, c.code NULLS LAST, s.duty, st.code`,
		[gridCode, clock, clock + AHEAD_MS]
	);
	return rows.map((r) => {
		const starts = new Date(r.startsAt).getTime();
		const ends = new Date(r.endsAt).getTime();
		return {
			id: r.id,
			place: r.checkpointName ?? SKILL_LABELS[r.duty][lang],
			checkpointCode: r.checkpointCode,
			duty: r.duty,
			dutyLabel: SKILL_LABELS[r.duty][lang],
			staffCode: r.staffCode,
			staffName: r.staffName,
			planId: r.planId,
			startsAt: new Date(starts).toISOString(),
			endsAt: new Date(ends).toISOString(),
			checkedIn: r.checkedIn,
			open: starts - CHECK_IN_EARLY_MS <= clock && clock < ends
		};
	});
}

export type CheckInResult = { ok: true; shiftId: number; gridId: number; gridCode: string; day: string; checkedIn: boolean } | { ok: false; status: 404 | 409; zh: string; en: string };

/**
 * Marks the person of one shift arrived (or not). Row-level security hides shifts outside the
 * caller's grids, which then read as unknown; a shift not yet open or already over is refused.
 */
export async function setCheckedIn(tx: Queryable, shiftId: number, checkedIn: boolean, clock: number): Promise<CheckInResult> {
	const [shift] = await tx.query<{ id: number; gridId: number; gridCode: string; startsAt: Date; endsAt: Date; day: string }>(
		`SELECT s.id, s.grid_id AS "gridId", g.code AS "gridCode", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
		        to_char(s.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
		 FROM shift s JOIN grid g ON g.id = s.grid_id WHERE s.id = $1 FOR UPDATE OF s`,
		[shiftId]
	);
	if (!shift) return { ok: false, status: 404, zh: `没有编号为 ${shiftId} 的班次，或不在您的范围内`, en: `No shift ${shiftId} in your scope` };
	const starts = new Date(shift.startsAt).getTime();
	const ends = new Date(shift.endsAt).getTime();
	if (clock >= ends) return { ok: false, status: 409, zh: '该班次已结束，不能再签到', en: 'This shift is over; arrivals can no longer be recorded' };
	if (clock < starts - CHECK_IN_EARLY_MS) return { ok: false, status: 409, zh: '班次开始前 30 分钟起才能签到', en: 'Arrivals can be recorded from 30 minutes before the shift starts' };
	await tx.query('UPDATE shift SET checked_in = $2 WHERE id = $1', [shiftId, checkedIn]);
	return { ok: true, shiftId, gridId: shift.gridId, gridCode: shift.gridCode, day: shift.day, checkedIn };
}
