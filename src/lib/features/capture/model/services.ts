import { addDays, beijingDay, beijingInstant } from '../../../core/time';
import type { ServiceKind } from '../contract';

/**
 * The services an observed household gets (the demo's rhythm, from the seed): a health visit at
 * 09:00 and garbage collection at 10:00 every day, groceries at 16:00 every third day from the
 * second. `offset`: the first day of observation (0) it starts on; `every`: days between.
 */
export const SERVICE_SCHEDULE: {
	kind: ServiceKind;
	minutes: number;
	every: number;
	offset: number;
}[] = [
	{ kind: 'visit', minutes: 9 * 60, every: 1, offset: 0 },
	{ kind: 'garbage', minutes: 10 * 60, every: 1, offset: 0 },
	{ kind: 'delivery', minutes: 16 * 60, every: 3, offset: 1 }
];

/**
 * The tasks of an observation from `start` for `days` days, recorded at `recordedAt` (ms): days
 * already over get none (they are history); on the day it is recorded, a task whose time has passed
 * is due at once (a household placed under observation at 15:00 still gets its first visit that day).
 */
export function serviceSchedule(
	start: string,
	days: number,
	recordedAt: number
): { kind: ServiceKind; dueAt: number }[] {
	const today = beijingDay(recordedAt);
	const tasks: { kind: ServiceKind; dueAt: number }[] = [];
	for (let d = 0; d < days; d++) {
		const day = addDays(start, d);
		if (day < today) continue;
		for (const { kind, minutes, every, offset } of SERVICE_SCHEDULE) {
			if (d < offset || (d - offset) % every !== 0) continue;
			tasks.push({ kind, dueAt: Math.max(beijingInstant(day, minutes), recordedAt) });
		}
	}
	return tasks;
}
