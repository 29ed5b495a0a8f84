import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { loadGapSettings, syncGaps } from '$lib/features/gaps/server/gaps.server';
import { applyScenario } from '$lib/features/planner/server/scenarios.server';
import { refuse, scenarioId } from '$lib/features/planner/server/route.server';
import type { ApplyAnswer } from '$lib/features/planner/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/plan/scenarios/ID/apply: the plan becomes staff and shifts (gate duty at its
 * checkpoint shifts; grid work for today's or tomorrow's day shift), all or nothing; the gap rules run again
 * at once, so shifts it staffs leave the queue, and open maps and walls are told. Audited.
 * The answer says how many of those sent close no gap yet (awaitingArrival: on the running shift,
 * which counts arrivals; gridWork: until the work is done).
 * 409 when it was applied already, another plan was applied after it was made, or a shift is over.
 */
export const POST: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = scenarioId(params.id);
	const scope = requireScope(locals);
	const user = locals.user!;
	const db = await getDb();
	const clock = await now(db);
	const settings = await loadGapSettings(db);
	try {
		const result = await withScope(db, scope, async (tx) => {
			const applied = await applyScenario(tx, id, user.id, clock);
			const gaps = await syncGaps(tx, scope.subdistrictId, clock, { settings });
			await writeAudit(tx, {
				subdistrictId: scope.subdistrictId,
				actorUserId: user.id,
				actor: user.username,
				action: 'plan.apply',
				targetKind: 'plan',
				targetId: String(id),
				detail: { ...applied, gapsClosed: gaps.closed },
				address: getClientAddress()
			});
			return { ...applied, gapsClosed: gaps.closed } satisfies ApplyAnswer;
		});
		return json(result);
	} catch (e) {
		refuse(e);
	}
};
