import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getDataPeriod } from '$lib/server/queries/areas';
import {
	ensureGapsFresh,
	gapCountsForDay,
	listGaps,
	rollUp
} from '$lib/features/gaps/server/gaps.server';
import { seesPersons } from '$lib/features/auth/model/roles';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';
import { listCommunities } from '$lib/server/queries/places';

/** The command centre's list: every open item in the caller's scope, rolled up by community. */
export const load: PageServerLoad = async ({ locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period)
		error(503, {
			message: say().core_no_data_import_first(),
			code: 'no_data'
		});
	const clock = await now(db);
	const today = beijingDay(clock);
	const day = today > period.last ? period.last : today < period.first ? period.first : today;
	await ensureGapsFresh(db, scope.subdistrictId, clock);
	const counts = await gapCountsForDay(db, scope.subdistrictId, day, clock);
	const { items, communities } = await withScope(db, scope, async (tx) => ({
		items: await listGaps(
			tx,
			{ state: 'open', subjects: scope.personScope !== 'none' },
			locals.lang,
			clock
		),
		communities: await listCommunities(tx, scope.subdistrictId)
	}));
	const role = locals.user?.role ?? null;
	return {
		lang: locals.lang,
		day,
		clock: new Date(clock).toISOString(),
		total: counts.total,
		communities: communities.map((c) => ({ ...c, open: counts.communities.get(c.code) ?? 0 })),
		items,
		rollup: rollUp(items),
		canAct: scope.personScope !== 'none',
		seesPersons: role !== null && seesPersons(role)
	};
};
