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
import { gridShifts } from '$lib/features/shifts/server/shifts.server';
import { addDays } from '$lib/core/time';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';
import { findGrid } from '$lib/server/queries/places';
import { ensureRollupCurrent } from '$lib/server/rollup';

/** The grid leader's workspace: the grid's figures against targets, its gap items and their handling. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const code = params.code;
	if (!/^\d{4}$/.test(code))
		error(404, {
			message: say().gaps_grid_code_invalid({ code: code.slice(0, 20) }),
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
	const grid = await findGrid(db, scope.subdistrictId, code);
	if (!grid) error(404, { message: say().core_no_grid({ code }), code: 'not_found' });
	if (scope.personScope === 'grids' && !scope.gridIds.includes(grid.id)) {
		error(403, {
			message: say().core_grid_outside_scope({ code }),
			code: 'forbidden'
		});
	}
	const clock = await now(db);
	const day =
		beijingDay(clock) > period.last
			? period.last
			: beijingDay(clock) < period.first
				? period.first
				: beijingDay(clock);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	await ensureGapsFresh(db, scope.subdistrictId, clock);
	const gaps = await gapCountsForDay(db, scope.subdistrictId, day, clock);
	const previousDay = addDays(day, -1) >= period.first ? addDays(day, -1) : null;
	const previousGaps = previousDay
		? await gapCountsForDay(db, scope.subdistrictId, previousDay, clock)
		: null;
	const found = await withScope(db, scope, async (tx) => {
		const today =
			(await getAreaFeatures(tx, 'grid', day, gaps)).find((f) => f.properties.code === code) ??
			null;
		const before = previousDay
			? ((await getAreaFeatures(tx, 'grid', previousDay, previousGaps ?? undefined)).find(
					(f) => f.properties.code === code
				) ?? null)
			: null;
		const live = await listGaps(
			tx,
			{ gridCode: code, state: 'live', subjects: scope.personScope !== 'none' },
			locals.lang,
			clock
		);
		const closed = await listGaps(
			tx,
			{ gridCode: code, state: 'closed', limit: 30, subjects: scope.personScope !== 'none' },
			locals.lang,
			clock
		);
		// Who is on duty now and next (person-level: roles that only see aggregates do not get it).
		const shifts =
			scope.personScope === 'none'
				? null
				: await gridShifts(tx, scope.subdistrictId, grid.id, clock, locals.lang);
		return { today, before, live, closed, shifts };
	});
	const role = locals.user?.role ?? null;
	return {
		lang: locals.lang,
		period,
		day,
		clock: new Date(clock).toISOString(),
		grid: {
			code: grid.code,
			communityCode: grid.communityCode,
			communityName: grid.communityName,
			communityNameEn: grid.communityNameEn
		},
		feature: found.today,
		figures: found.today?.properties ?? null,
		previous: found.before?.properties ?? null,
		items: found.live,
		closed: found.closed,
		shifts: found.shifts,
		rollup: rollUp(found.live),
		canAct: scope.personScope !== 'none',
		seesPersons: role !== null && seesPersons(role)
	};
};
