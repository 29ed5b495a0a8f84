import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate } from '$lib/server/params';
import { getDataPeriod, getTrend } from '$lib/server/queries/areas';
import { COUNT_FIELDS, protectCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';
import { ensureRollupCurrent } from '$lib/server/rollup';
import { now } from '$lib/server/clock';

/** GET /api/trend?date=&days=14 → subdistrict totals per day for the `days` days up to `date`. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const raw = url.searchParams.get('days') ?? '14';
	const days = Number(raw);
	if (!Number.isInteger(days) || days < 2 || days > 90) {
		error(400, {
			message: say().core_bad_days_param({ raw: raw.slice(0, 20) }),
			code: 'bad_parameter'
		});
	}
	const scope = requireScope(locals);
	await ensureRollupCurrent(db, scope.subdistrictId, await now(db));
	const trend = await withScope(db, scope, (tx) => getTrend(tx, date, days));
	const k = locals.wall?.suppressBelow ?? 0;
	return json({
		date,
		days: k > 1 ? trend.map((d) => protectCounts(d, k, COUNT_FIELDS)) : trend,
		suppressBelow: k > 1 ? k : null
	});
};
