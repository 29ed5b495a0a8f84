import { shiftDay } from '../domain/days';
import type { Queryable } from './db/types';

/**
 * Brings the rollup up to date after a write dated `day`: from that day to the end of the data when
 * the figures it feeds are cumulative (screenings), else that day only (an arrival). A day past the
 * data also fills the days between; a day before it changes nothing. The change notification names
 * `gridCode`, unless the write adds days (then every grid has new rows) or the grid is unknown.
 */
export async function refreshAfterWrite(
	tx: Queryable,
	subdistrictId: number,
	period: { first: string; last: string },
	day: string,
	gridCode: string | null,
	cumulative: boolean
): Promise<void> {
	if (day < period.first) return;
	const addsDays = day > period.last;
	const from = addsDays ? shiftDay(period.last, 1) : day;
	const to = addsDays || !cumulative ? day : period.last;
	const grids = addsDays || gridCode === null ? null : [gridCode];
	await tx.query('SELECT refresh_grid_day($1, $2::date, $3::date, $4::text[])', [subdistrictId, from, to, grids]);
}
