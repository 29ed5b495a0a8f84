import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { ensureGapsFresh } from '$lib/server/gaps';
import { parsePlanRequest, planReinforcements } from '$lib/server/planner/plan';
import { PlanInputError } from '$lib/domain/planner';
import type { RequestHandler } from './$types';

/**
 * POST /api/plan {pool: [{name, people, staging, skills}], horizon: shift|day, objective: weighted|fairest,
 * maxPerGrid?, keepUnitsTogether?, norms?} → the needs from the open gaps, the optimised allocation
 * (HiGHS), the greedy baseline, and each grid's share with its reason. Planners, leadership, administrators.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const scope = requireScope(locals);
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, { message: '请求体应为 JSON / The request body must be JSON', code: 'bad_body' });
	}
	const db = await getDb();
	const clock = await now(db);
	try {
		const plan = parsePlanRequest(body);
		await ensureGapsFresh(db, scope.subdistrictId, clock);
		return json(await withScope(db, scope, (tx) => planReinforcements(tx, scope.subdistrictId, clock, plan, locals.lang)));
	} catch (e) {
		if (e instanceof PlanInputError) error(400, { message: `${e.zh} / ${e.en}`, code: 'bad_plan' });
		throw e;
	}
};
