import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseGridCode } from '$lib/server/params';
import { getDataPeriod } from '$lib/server/queries/areas';
import { getGridDetail } from '$lib/server/queries/layers';
import { now } from '$lib/server/clock';
import { COMPOUND_COUNT_FIELDS, protectCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/** GET /api/grid-detail?grid=CODE&date= → the grid's compounds (with figures) and buildings, for the drill-down. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const code = parseGridCode(url);
	const scope = requireScope(locals);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const clock = await now(db);
	const detail = await withScope(db, scope, (tx) =>
		getGridDetail(tx, scope.subdistrictId, code, date, clock)
	);
	if (!detail) error(404, { message: say().core_no_grid({ code }), code: 'not_found' });
	const k = locals.wall?.suppressBelow ?? 0;
	if (k > 1) {
		detail.compounds = detail.compounds.map((c) => ({
			...c,
			properties: protectCounts(c.properties, k, COMPOUND_COUNT_FIELDS)
		}));
		// Per-building household counts would let a wall add withheld compound counts back up.
		detail.buildings = [];
	}
	return json({ date, ...detail });
};
