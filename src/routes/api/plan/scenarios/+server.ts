import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { now } from '$lib/server/clock';
import { withScope } from '$lib/server/db/scope';
import { listScenarios } from '$lib/features/planner/server/scenarios.server';
import type { ScenarioList } from '$lib/features/planner/contract';
import type { RequestHandler } from './$types';

/** GET /api/plan/scenarios → the subdistrict's last 50 plans, newest first, with their figures and, for drafts out of date, why (`stale`). */
export const GET: RequestHandler = async ({ locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const clock = await now(db);
	return json({
		scenarios: await withScope(db, scope, (tx) => listScenarios(tx, clock))
	} satisfies ScenarioList);
};
