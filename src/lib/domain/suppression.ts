/**
 * Counts on public displays (wall screens, whose link carries a threshold k = wall_token.suppress_below).
 *
 * Withholding only the small counts (1 … k−1) and showing the rest exactly does not protect them: a
 * withheld grid is its community's total minus the other grids, a withheld compound its grid's total
 * minus the other compounds, and a small increment the difference of two days' cumulative counts
 * (issue 16: on 28 February, k = 5, 32 withheld cells came back that way). So a wall sees no exact
 * count at all: every count is shown as `protectCount` gives it, at every level and on every day,
 * and the differences of rounded figures leave each withheld value (and each exact one) a range.
 *
 * Rounded down, not to the nearest: a shown multiple R of k then stands for R … R+k−1, the same
 * width as the withheld 1 … k−1 beside it, and sums of such ranges rarely meet at a single value.
 * Rounding to the nearest made the bottom range narrow (5–7 for k = 5) and, on the demo's 26–28
 * February at k = 5, still let 6 withheld counts and 11 exact ones be solved for by interval
 * arithmetic over communities, grids, compounds and days; rounding down let none
 * (tests/unit/suppression.test.ts and tests/e2e/wall-disclosure.test.ts run that attacker).
 * What no rounding can hide: a withheld total made of k−1 parts known to be non-zero (each is 1).
 *
 * Complementary suppression (withholding enough other cells that nothing can be solved for) was not
 * chosen: it must hold across all levels and consecutive days at once, and it blanks many more cells
 * on a screen meant to be read from across a room. See README, "Wall screens and privacy".
 */

/**
 * The value a wall shows for one count under threshold k:
 * - 0 stays 0 (nobody to point at);
 * - 1 … k−1 is withheld (`null`), shown as "< k";
 * - k and over is rounded down to a multiple of k, so never below k (k = 5: 5–9 → 5, 10–14 → 10).
 * With k ≤ 1 (a desk session, or a wall link without a threshold) the count is exact.
 */
export function protectCount(value: number, k: number): number | null {
	if (k <= 1 || value === 0) return value;
	if (value < k) return null;
	return k * Math.floor(value / k);
}

/**
 * `figures` with each count named in `keys` shown as `protectCount` gives it; the keys withheld
 * (1 … k−1) are listed in `suppressed`. Other fields, and keys that are not numbers, are kept.
 * Ratios are computed on the client from these counts: a ratio on a wall is one of rounded counts,
 * and a ratio over a withheld count is withheld too.
 */
export function protectCounts<T extends object>(
	figures: T,
	k: number,
	keys: readonly string[]
): T & { suppressed: string[] } {
	const out = { ...figures } as Record<string, unknown>;
	const suppressed: string[] = [];
	if (k > 1) {
		for (const key of keys) {
			const value = out[key];
			if (typeof value !== 'number') continue;
			const shown = protectCount(value, k);
			out[key] = shown;
			if (shown === null) suppressed.push(key);
		}
	}
	return { ...(out as T), suppressed };
}

/** The count fields of an area's figures (per grid or community, the subdistrict totals and each day of the trend). */
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

/** The count fields of a compound's figures (grid drill-down). */
export const COMPOUND_COUNT_FIELDS = [
	'householdsRegistered',
	'residentsRegistered',
	'observedHouseholds',
	'observedPersons',
	'returneesDue',
	'returneesScreened',
	'personsScreenedCum'
] as const;

/** The counts of one shift's staffing series (/api/trend/shift): people needed and people present. */
export const SHIFT_STAFFING_FIELDS = ['requiredStaff', 'staffedStaff'] as const;
