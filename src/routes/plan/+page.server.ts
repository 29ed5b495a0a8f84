import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { getDataPeriod } from '$lib/server/queries/areas';
import { loadNorms } from '$lib/features/planner/server/scenarios.server';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';
import { listCommunities } from '$lib/server/queries/places';

export const load: PageServerLoad = async ({ locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period)
		error(503, {
			message: say().core_no_data_import_first(),
			code: 'no_data'
		});
	const communities = await listCommunities(db, scope.subdistrictId);
	return { lang: locals.lang, period, communities, norms: await loadNorms(db) };
};
