/**
 * Shifts on the grid leader's phone: who is on duty in the grid now and next, and their arrival.
 * Marking a person arrived (or not) is what the running shift's staffing counts — checkpoint
 * staffing on the map, and the gap rule for a short-staffed running shift.
 */
import { SKILL_LABELS, type Skill } from '../../planner/model/planner';
import { CHECK_IN_EARLY_MS, shiftOpen } from '../model/shifts';
import type { Queryable } from '../../../server/db/types';
import type { ShiftView } from '../contract';
import { HOUR_MS } from '../../../core/time';
import { say } from '../../../server/say';

/** Shifts shown: those running now and those starting within this window. */
const AHEAD_MS = 12 * HOUR_MS;

/**
 * The grid's running and coming shifts, earliest first, when the grid is in the caller's scope (else
 * none). Read through grid_shifts (0011): the people on duty at a grid's posts come from the whole
 * community, and staff rows are scoped by the staff member's own grid.
 */
export async function gridShifts(
	tx: Queryable,
	subdistrictId: number,
	gridId: number,
	clock: number,
	lang: 'zh-CN' | 'en'
): Promise<ShiftView[]> {
	const rows = await tx.query<{
		id: number;
		checkpointName: string | null;
		checkpointCode: string | null;
		duty: Skill;
		staffCode: string;
		staffName: string;
		planId: number | null;
		startsAt: Date;
		endsAt: Date;
		checkedIn: boolean;
	}>(
		`SELECT id, checkpoint_name AS "checkpointName", checkpoint_code AS "checkpointCode", duty, staff_code AS "staffCode", staff_name AS "staffName",
		        plan_id AS "planId", starts_at AS "startsAt", ends_at AS "endsAt", checked_in AS "checkedIn"
		 FROM grid_shifts($1, $2, to_timestamp($3 / 1000.0), to_timestamp($4 / 1000.0))`,
		[subdistrictId, gridId, clock, clock + AHEAD_MS]
	);
	return rows.map((r) => {
		const starts = new Date(r.startsAt).getTime();
		const ends = new Date(r.endsAt).getTime();
		return {
			id: r.id,
			place: r.checkpointName ?? SKILL_LABELS[r.duty][lang],
			checkpointCode: r.checkpointCode,
			duty: r.duty,
			staffCode: r.staffCode,
			staffName: r.staffName,
			planId: r.planId,
			startsAt: new Date(starts).toISOString(),
			endsAt: new Date(ends).toISOString(),
			checkedIn: r.checkedIn,
			open: shiftOpen(starts, ends, clock)
		};
	});
}

/** `changed`: false when the shift already read so (a second tap): nothing to refresh or audit. */
export type CheckInResult =
	| {
			ok: true;
			shiftId: number;
			gridId: number;
			gridCode: string;
			day: string;
			checkedIn: boolean;
			changed: boolean;
	  }
	| { ok: false; status: 404 | 409; message: string };

/**
 * Marks the person of one shift arrived (or not). Row-level security hides shifts outside the
 * caller's grids, which then read as unknown; a shift not yet open or already over is refused.
 */
export async function setCheckedIn(
	tx: Queryable,
	shiftId: number,
	checkedIn: boolean,
	clock: number
): Promise<CheckInResult> {
	const [shift] = await tx.query<{
		id: number;
		gridId: number;
		gridCode: string;
		startsAt: Date;
		endsAt: Date;
		day: string;
	}>(
		`SELECT s.id, s.grid_id AS "gridId", g.code AS "gridCode", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
		        to_char(s.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
		 FROM shift s JOIN grid g ON g.id = s.grid_id WHERE s.id = $1 FOR UPDATE OF s`,
		[shiftId]
	);
	if (!shift)
		return {
			ok: false,
			status: 404,
			message: say().shifts_not_found({ id: shiftId })
		};
	const starts = new Date(shift.startsAt).getTime();
	const ends = new Date(shift.endsAt).getTime();
	if (clock >= ends)
		return {
			ok: false,
			status: 409,
			message: say().shifts_over()
		};
	if (clock < starts - CHECK_IN_EARLY_MS)
		return {
			ok: false,
			status: 409,
			message: say().shifts_too_early()
		};
	const changed = await tx.query(
		'UPDATE shift SET checked_in = $2 WHERE id = $1 AND checked_in IS DISTINCT FROM $2 RETURNING id',
		[shiftId, checkedIn]
	);
	return {
		ok: true,
		shiftId,
		gridId: shift.gridId,
		gridCode: shift.gridCode,
		day: shift.day,
		checkedIn,
		changed: changed.length > 0
	};
}
