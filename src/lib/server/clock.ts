import { getConfig } from './db';
import { getDataPeriod } from './queries/areas';
import type { Queryable } from './db/types';
import { beijingDay } from '../core/time';

let demoNow: number | null = null;

/**
 * The server's "now": GRIDWATCH_NOW when set; in demo mode 23:55 Beijing time on the demo's last
 * day (so the 2020 demo reads as current and new records land on that day); else the real time.
 */
export async function now(db: Queryable): Promise<number> {
	const config = getConfig();
	if (config.fixedNow !== null) return config.fixedNow;
	if (config.demoMode) {
		if (demoNow === null) {
			const period = await getDataPeriod(db);
			if (period) demoNow = Date.parse(`${period.last}T23:55:00+08:00`);
		}
		if (demoNow !== null) return demoNow;
	}
	return Date.now();
}

/** Whether `day` is the clock's own day, not over yet: its figures count what has happened so far. */
export function dayInProgress(day: string, ms: number): boolean {
	return beijingDay(ms) === day;
}
