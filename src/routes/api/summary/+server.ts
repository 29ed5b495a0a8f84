import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate } from '$lib/server/params';
import { getDataPeriod, getSummary } from '$lib/server/queries/areas';
import { COUNT_FIELDS, suppressSmallCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';

/** GET /api/summary?date=YYYY-MM-DD → subdistrict totals for the day and the day before. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: '尚无数据 / No data loaded yet', code: 'no_data' });
	const date = parseDate(url, period);
	const summary = await withScope(db, requireScope(locals), (tx) => getSummary(tx, date));
	if (!summary) error(404, { message: `${date} 无数据 / No data for ${date}`, code: 'no_data' });
	const k = locals.wall?.suppressBelow ?? 0;
	if (k > 1) {
		return json({
			...summary,
			figures: suppressSmallCounts(summary.figures, k, COUNT_FIELDS),
			previous: summary.previous ? suppressSmallCounts(summary.previous, k, COUNT_FIELDS) : null,
			period,
			suppressBelow: k
		});
	}
	return json({ ...summary, period, suppressBelow: null });
};
