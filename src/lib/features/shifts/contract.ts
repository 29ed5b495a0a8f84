/** The shifts feature's JSON: the grid workspace's shift list (its page data) and POST /api/shifts/[id]. */
import type { Skill } from '../planner/model/planner';

export interface ShiftView {
	id: number;
	/** The checkpoint's name for gate duty, else the duty ("排查", "居家服务"). */
	place: string;
	checkpointCode: string | null;
	duty: Skill;
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

/** POST /api/shifts/[id] ({ checkedIn }) answers what was recorded. */
export interface ArrivalAnswer {
	shiftId: number;
	grid: string;
	checkedIn: boolean;
	/** False when the arrival was already as asked (a repeated tap). */
	changed: boolean;
	/** Gap items the arrival closed (a short-staffed shift now staffed). */
	gapsClosed: number;
}
