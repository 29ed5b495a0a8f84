/** A person may be marked arrived from this long before their shift starts until it ends. */
export const CHECK_IN_EARLY_MS = 30 * 60_000;

/** Whether arrivals can be recorded for a shift at `at` (all times in ms). */
export function shiftOpen(startsAt: number, endsAt: number, at: number): boolean {
	return startsAt - CHECK_IN_EARLY_MS <= at && at < endsAt;
}
