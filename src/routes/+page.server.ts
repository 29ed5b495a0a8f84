import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getDataPeriod } from '$lib/server/queries/areas';
import type { PageServerLoad } from './$types';
import { say } from '$lib/server/say';

export const load: PageServerLoad = async ({ locals, url }) => {
	// A wall-screen link shows the wall: the desk map's exports and its per-area panels are for signed-in
	// users. Links made before the wall had its own address (/?wall_token=…) land there too.
	if (locals.wall && !locals.user)
		redirect(
			303,
			url.searchParams.get('lang')
				? `/wall?lang=${url.searchParams.get('lang') === 'en' ? 'en' : 'zh'}`
				: '/wall'
		);
	const db = await getDb();
	const period = await getDataPeriod(db);
	if (!period)
		error(503, {
			message: say().core_no_data_import_first(),
			code: 'no_data'
		});
	return { period, lang: locals.lang };
};
