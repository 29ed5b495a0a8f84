import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseShift } from '$lib/server/params';
import { getDataPeriod } from '$lib/server/queries/areas';
import { getCheckpoints, getObservedHexagons, getResumption } from '$lib/server/queries/layers';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

const KINDS = ['checkpoints', 'enterprises', 'projects', 'observed'] as const;

/**
 * GET /api/layers/checkpoints?date=&shift=  checkpoints with staffing for one shift
 * GET /api/layers/enterprises?date=, /api/layers/projects?date=  work-resumption status
 * GET /api/layers/observed?date=  observed households as hexagon totals (never as points)
 */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const kind = params.kind as (typeof KINDS)[number];
	if (!KINDS.includes(kind))
		error(404, {
			message: say().map_no_layer({ kind: params.kind.slice(0, 30) }),
			code: 'not_found'
		});
	const scope = requireScope(locals);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const k = locals.wall?.suppressBelow ?? 0;
	if (kind === 'checkpoints') {
		const shift = parseShift(url);
		return json({
			date,
			shift,
			checkpoints: await withScope(db, scope, (tx) =>
				getCheckpoints(tx, scope.subdistrictId, date, shift)
			)
		});
	}
	if (kind === 'observed') {
		return json({
			date,
			suppressBelow: k > 1 ? k : null,
			hexagons: await withScope(db, scope, (tx) =>
				getObservedHexagons(tx, scope.subdistrictId, date, k)
			)
		});
	}
	const points = await withScope(db, scope, (tx) =>
		getResumption(tx, scope.subdistrictId, kind === 'enterprises' ? 'enterprise' : 'project', date)
	);
	return json({ date, [kind]: points });
};
