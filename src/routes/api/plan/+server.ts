import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { ensureGapsFresh } from '$lib/features/gaps/server/gaps.server';
import { parsePlanRequest, planReinforcements } from '$lib/features/planner/server/plan.server';
import {
	lastApplication,
	loadNorms,
	saveScenario
} from '$lib/features/planner/server/scenarios.server';
import { refuse } from '$lib/features/planner/server/route.server';
import { readJsonObject } from '$lib/server/http';
import type { PlanAnswer } from '$lib/features/planner/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/plan {name?, pool: [{name, people, staging, skills}], horizon: shift|day, objective:
 * weighted|fairest, maxPerGrid?, keepUnitsTogether?, norms?} → the needs from the open gaps, the
 * optimised allocation (HiGHS), the greedy baseline and each grid's share with its reason; kept as a
 * scenario (`scenario`: its id, name and figures). Norms not given come from the settings.
 * Planners, leadership, administrators.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const scope = requireScope(locals);
	const body = await readJsonObject(request);
	const db = await getDb();
	const clock = await now(db);
	try {
		const plan = parsePlanRequest(body, await loadNorms(db));
		await ensureGapsFresh(db, scope.subdistrictId, clock);
		return json(
			await withScope(db, scope, async (tx) => {
				// Before the gaps are read: a plan applied after this point makes this one out of date.
				const seenApplySeq = await lastApplication(tx);
				const result = await planReinforcements(tx, scope.subdistrictId, clock, plan, locals.lang);
				const scenario = await saveScenario(tx, {
					subdistrictId: scope.subdistrictId,
					userId: locals.user?.id ?? null,
					asOf: clock,
					request: plan,
					result,
					seenApplySeq
				});
				return { ...result, scenario } satisfies PlanAnswer;
			})
		);
	} catch (e) {
		refuse(e);
	}
};
