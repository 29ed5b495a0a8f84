import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getAreaFeatures, getDataPeriod } from '$lib/server/queries/areas';
import {
	ensureGapsFresh,
	gapCountsForDay,
	listGaps,
	rollUp
} from '$lib/features/gaps/server/gaps.server';
import { seesPersons } from '$lib/features/auth/model/roles';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';
import { findCommunity } from '$lib/server/queries/places';
import { ensureRollupCurrent } from '$lib/server/rollup';
import { mayReport } from '$lib/features/capture/server/daily-reports.server';

/** A community's roll-up: each grid's open gaps and figures, and the items the caller may see. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const code = params.code;
	if (!/^\d{12}$/.test(code))
		error(404, {
			message: say().core_bad_community_code({ code: code.slice(0, 20) }),
			code: 'not_found'
		});
	const scope = requireScope(locals);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period)
		error(503, {
			message: say().core_no_data_import_first(),
			code: 'no_data'
		});
	const community = await findCommunity(db, scope.subdistrictId, code);
	if (!community) error(404, { message: say().core_no_community({ code }), code: 'not_found' });
	const clock = await now(db);
	const today = beijingDay(clock);
	const day = today > period.last ? period.last : today < period.first ? period.first : today;
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	await ensureGapsFresh(db, scope.subdistrictId, clock);
	const gaps = await gapCountsForDay(db, scope.subdistrictId, day, clock);
	const found = await withScope(db, scope, async (tx) => {
		const grids = (await getAreaFeatures(tx, 'grid', day, gaps))
			.filter((f) => f.properties.communityCode === code)
			.map((f) => f.properties);
		const items = await listGaps(
			tx,
			{ communityCode: code, state: 'open', subjects: scope.personScope !== 'none' },
			locals.lang,
			clock
		);
		const canReport = await mayReport(tx, scope, locals.user?.role ?? null, code);
		return { grids, items, canReport };
	});
	const role = locals.user?.role ?? null;
	return {
		lang: locals.lang,
		day,
		clock: new Date(clock).toISOString(),
		community,
		openGaps: gaps.communities.get(code) ?? 0,
		grids: found.grids,
		items: found.items,
		rollup: rollUp(found.items),
		canAct: scope.personScope !== 'none',
		// Its community lead (every grid of it in scope) and the data centre send the daily report.
		canReport: found.canReport,
		seesPersons: role !== null && seesPersons(role)
	};
};
