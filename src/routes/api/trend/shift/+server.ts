import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseShift } from '$lib/server/params';
import { getDataPeriod } from '$lib/server/queries/areas';
import { getShiftStaffingSeries } from '$lib/server/queries/layers';
import { SHIFT_STAFFING_FIELDS, protectCounts } from '$lib/domain/suppression';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/**
 * GET /api/trend/shift?date=&days=14&shift=night → one shift's checkpoint staffing on each of the
 * `days` days up to `date` (the shift that began on `date`): like against like for the wall's tile.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const shift = parseShift(url);
	const raw = url.searchParams.get('days') ?? '14';
	const days = Number(raw);
	if (!Number.isInteger(days) || days < 2 || days > 90) {
		error(400, {
			message: say().core_bad_days_param({ raw: raw.slice(0, 20) }),
			code: 'bad_parameter'
		});
	}
	const scope = requireScope(locals);
	const series = await withScope(db, scope, (tx) =>
		getShiftStaffingSeries(tx, scope.subdistrictId, date, days, shift)
	);
	// A wall sees people needed and present as it sees every count (suppression.ts); the ratio it draws is theirs.
	const k = locals.wall?.suppressBelow ?? 0;
	return json({
		date,
		shift,
		days: k > 1 ? series.map((d) => protectCounts(d, k, SHIFT_STAFFING_FIELDS)) : series,
		suppressBelow: k > 1 ? k : null
	});
};
