import { addDays } from '../core/time';
import type { Queryable } from './db/types';

/**
 * Brings the rollup up to date after a write dated `day`: from that day to the end of the data when
 * the figures it feeds are cumulative (screenings), else that day only (an arrival). A day past the
 * data also fills the days between; a day before it changes nothing. The change notification names
 * `gridCode` (one grid, or several), unless the write adds days (then every grid has new rows) or the grid is unknown.
 * `clock` is the application's now: staffing counts only the shifts begun by then.
 */
export async function refreshAfterWrite(
	tx: Queryable,
	subdistrictId: number,
	period: { first: string; last: string },
	day: string,
	gridCode: string | string[] | null,
	cumulative: boolean,
	clock: number
): Promise<void> {
	if (day < period.first) return;
	const addsDays = day > period.last;
	const from = addsDays ? addDays(period.last, 1) : day;
	const to = addsDays || !cumulative ? day : period.last;
	const grids =
		addsDays || gridCode === null ? null : Array.isArray(gridCode) ? gridCode : [gridCode];
	await tx.query(
		'SELECT refresh_grid_day($1, $2::date, $3::date, $4::text[], to_timestamp($5 / 1000.0))',
		[subdistrictId, from, to, grids, clock]
	);
}

/**
 * Rebuilds each day whose figures were built at a moment with other shifts begun than at `clock`:
 * a day built before 14:00 misses the afternoon shift once it has begun (and, without a write, would
 * miss it for good); a day built ahead of a fixed clock (GRIDWATCH_NOW) counts shifts still to come.
 * Days over before both moments are left alone. Call before reading the rollup.
 */
export function ensureRollupCurrent(
	db: Queryable,
	subdistrictId: number,
	clock: number
): Promise<void> {
	// One check (and rebuild) at a time per subdistrict in this process: when a shift begins, every
	// wall and map asks at once, and they share the one rebuild instead of queueing a rebuild each.
	const running = inFlight.get(subdistrictId);
	if (running) return running;
	const job = rebuildStaleDays(db, subdistrictId, clock).finally(() =>
		inFlight.delete(subdistrictId)
	);
	inFlight.set(subdistrictId, job);
	return job;
}

const inFlight = new Map<number, Promise<void>>();

async function rebuildStaleDays(
	db: Queryable,
	subdistrictId: number,
	clock: number
): Promise<void> {
	const stale = await db.query<{ day: string }>(
		`SELECT day::text AS day FROM subdistrict_day
		 WHERE subdistrict_id = $1 AND shift_slots_begun(day, as_of) <> shift_slots_begun(day, to_timestamp($2 / 1000.0))
		 ORDER BY day`,
		[subdistrictId, clock]
	);
	if (stale.length === 0) return;
	const from = stale[0].day;
	const to = stale[stale.length - 1].day;
	// One statement: the rebuild is atomic without a transaction of its own.
	await db.query(
		'SELECT refresh_grid_day($1, $2::date, $3::date, NULL, to_timestamp($4 / 1000.0))',
		[subdistrictId, from, to, clock]
	);
}
