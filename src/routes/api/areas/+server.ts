import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseLevel } from '$lib/server/params';
import { getAreaFeatures, getDataPeriod } from '$lib/server/queries/areas';
import { gapCountsForDay } from '$lib/features/gaps/server/gaps.server';
import { now } from '$lib/server/clock';
import { COUNT_FIELDS, protectCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';
import { ensureRollupCurrent } from '$lib/server/rollup';
import { dayInProgress } from '$lib/server/clock';

/** GET /api/areas?level=community|grid&date=YYYY-MM-DD → GeoJSON FeatureCollection with the day's figures. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDb();
	const level = parseLevel(url);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const scope = requireScope(locals);
	const clock = await now(db);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	const gaps = await gapCountsForDay(db, scope.subdistrictId, date, clock);
	const features = await withScope(db, scope, (tx) => getAreaFeatures(tx, level, date, gaps));
	const k = locals.wall?.suppressBelow ?? 0;
	const shown =
		k > 1
			? features.map((f) => ({ ...f, properties: protectCounts(f.properties, k, COUNT_FIELDS) }))
			: features;
	return json({
		type: 'FeatureCollection',
		level,
		date,
		inProgress: dayInProgress(date, clock),
		period,
		suppressBelow: k > 1 ? k : null,
		features: shown
	});
};
