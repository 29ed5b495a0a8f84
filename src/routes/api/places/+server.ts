import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { getPlaces } from '$lib/server/queries/layers';
import type { RequestHandler } from './$types';

/** GET /api/places → communities, grids and compounds with extents, for the map's search. */
export const GET: RequestHandler = async ({ locals }) => {
	const scope = requireScope(locals);
	return json({ places: await getPlaces(await getDb(), scope.subdistrictId) });
};
