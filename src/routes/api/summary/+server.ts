import { error, json } from '@sveltejs/kit';
import { getConfig, getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate } from '$lib/server/params';
import { dataAsOf, getDataPeriod, getSummary } from '$lib/server/queries/areas';
import { gapCountsForDay } from '$lib/features/gaps/server/gaps.server';
import { COUNT_FIELDS, protectCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';
import { ensureRollupCurrent } from '$lib/server/rollup';

/**
 * GET /api/summary?date=YYYY-MM-DD → subdistrict totals for the day and the day before, with
 * `asOf` (the newest report or screening behind them), the server's clock and the stale threshold.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const scope = requireScope(locals);
	const clock = await now(db);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	const found = await withScope(db, scope, async (tx) => {
		const summary = await getSummary(tx, date);
		return summary ? { ...summary, asOf: await dataAsOf(tx, scope.subdistrictId, date) } : null;
	});
	if (!found) error(404, { message: say().core_no_data_for_day({ date }), code: 'no_data' });
	const gaps = await gapCountsForDay(db, scope.subdistrictId, date, clock);
	const summary = {
		...found,
		figures: { ...found.figures, openGaps: gaps.total },
		clock: new Date(clock).toISOString(),
		staleMinutes: getConfig().staleMinutes
	};
	const k = locals.wall?.suppressBelow ?? 0;
	if (k > 1) {
		return json({
			...summary,
			figures: protectCounts(summary.figures, k, COUNT_FIELDS),
			previous: summary.previous ? protectCounts(summary.previous, k, COUNT_FIELDS) : null,
			period,
			suppressBelow: k
		});
	}
	return json({ ...summary, period, suppressBelow: null });
};
