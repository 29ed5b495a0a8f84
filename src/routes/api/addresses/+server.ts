import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { gridForPersonLevel } from '$lib/server/queries/places';
import { gridAddresses } from '$lib/features/capture/server/addresses.server';
import type { AddressList } from '$lib/features/capture/contract';
import type { RequestHandler } from './$types';

/**
 * GET /api/addresses?grid=CODE → the grid's households as addresses (compound, building, unit,
 * room, members), for the capture forms and for intake. Person-level roles, their own grids only.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const grid = await gridForPersonLevel(db, scope, url.searchParams.get('grid') ?? '');
	const households = await withScope(db, scope, (tx) => gridAddresses(tx, grid.id));
	return json({ grid: grid.code, households } satisfies AddressList);
};
