import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { listScenarios } from '$lib/server/planner/scenarios';
import type { RequestHandler } from './$types';

/** GET /api/plan/scenarios → the subdistrict's last 50 plans, newest first, with their figures. */
export const GET: RequestHandler = async ({ locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	return json({ scenarios: await withScope(db, scope, (tx) => listScenarios(tx)) });
};
