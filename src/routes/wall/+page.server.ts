import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getDataPeriod } from '$lib/server/queries/areas';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';

export const load: PageServerLoad = async ({ locals }) => {
	const period = await getDataPeriod(await getDb());
	if (!period)
		error(503, {
			message: say().core_no_data_import_first(),
			code: 'no_data'
		});
	return { period, lang: locals.lang, label: locals.wall?.label ?? null };
};
