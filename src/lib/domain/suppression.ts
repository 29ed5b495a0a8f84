/**
 * Small-count suppression for public displays (wall screens): a count of 1 … k−1 could point at
 * a household, so it is withheld (null) and named in `suppressed`; 0 and counts ≥ k are shown.
 * Ratios are computed on the client from the counts, so a ratio over a withheld count is withheld too.
 */
export function suppressSmallCounts<T extends object>(figures: T, k: number, keys: readonly string[]): T & { suppressed: string[] } {
	const out = { ...figures } as Record<string, unknown>;
	const suppressed: string[] = [];
	if (k > 1) {
		for (const key of keys) {
			const value = out[key];
			if (typeof value === 'number' && value >= 1 && value < k) {
				out[key] = null;
				suppressed.push(key);
			}
		}
	}
	return { ...(out as T), suppressed };
}

/** The count fields of an area's figures (per grid or community, and the subdistrict totals). */
export const COUNT_FIELDS = [
	'householdsRegistered',
	'residentsRegistered',
	'observedHouseholds',
	'observedPersons',
	'observedHouseholdsCum',
	'observedPersonsCum',
	'returneesDue',
	'returneesScreened',
	'screenedToday',
	'personsScreenedCum',
	'overdueScreenings',
	'understaffedShifts',
	'staffOnDuty'
] as const;
