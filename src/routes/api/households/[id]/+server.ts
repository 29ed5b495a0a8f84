import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { now } from '$lib/server/clock';
import { householdCard } from '$lib/features/capture/server/observations.server';
import type { HouseholdCard } from '$lib/features/capture/contract';
import { say } from '$lib/server/say';
import type { RequestHandler } from './$types';

/**
 * GET /api/households/ID → HouseholdCard: its address, registered members, the home observation
 * running today, today's health checks and its service tasks. Person-level roles, their own grids.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const scope = requireScope(locals);
	if (scope.personScope === 'none')
		error(403, { message: say().capture_sees_no_persons(), code: 'forbidden' });
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : 0;
	if (id < 1)
		error(404, {
			message: say().capture_household_not_found({ id: params.id }),
			code: 'not_found'
		});
	const db = await getDb();
	const clock = await now(db);
	const card = await withScope(db, scope, (tx) => householdCard(tx, id, clock));
	return json(card satisfies HouseholdCard);
};
