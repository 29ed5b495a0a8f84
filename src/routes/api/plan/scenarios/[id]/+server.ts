import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { now } from '$lib/server/clock';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import {
	deleteScenario,
	getScenario,
	renameScenario
} from '$lib/features/planner/server/scenarios.server';
import { refuse, scenarioId } from '$lib/features/planner/server/route.server';
import { readJsonObject } from '$lib/server/http';
import type { Done, Scenario } from '$lib/features/planner/contract';
import type { RequestHandler } from './$types';
import { currentLang, say } from '$lib/server/say';
import { both } from '$lib/core/i18n';
import { badField } from '$lib/features/planner/model/planner';

/** GET /api/plan/scenarios/ID → the scenario: its request, the whole result, whether it was applied, and why a draft is out of date (`stale`). */
export const GET: RequestHandler = async ({ params, locals }) => {
	const id = scenarioId(params.id);
	const scope = requireScope(locals);
	const db = await getDb();
	const clock = await now(db);
	const scenario = await withScope(db, scope, (tx) => getScenario(tx, id, true, clock));
	if (!scenario) error(404, { message: say().planner_no_scenario({ id }), code: 'not_found' });
	return json(scenario satisfies Scenario);
};

/** PATCH /api/plan/scenarios/ID {name} renames it. */
export const PATCH: RequestHandler = async ({ params, request, locals }) => {
	const id = scenarioId(params.id);
	const scope = requireScope(locals);
	const body = await readJsonObject(request);
	if (typeof body.name !== 'string')
		error(400, {
			message: badField('name', both('planner_expected_text'))[currentLang()],
			code: 'bad_field'
		});
	try {
		await withScope(await getDb(), scope, (tx) => renameScenario(tx, id, body.name as string));
	} catch (e) {
		refuse(e);
	}
	return json({ ok: true } satisfies Done);
};

/** DELETE /api/plan/scenarios/ID deletes a draft (an applied scenario stays); audited. */
export const DELETE: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = scenarioId(params.id);
	const scope = requireScope(locals);
	const user = locals.user!;
	try {
		await withScope(await getDb(), scope, async (tx) => {
			await deleteScenario(tx, id);
			await writeAudit(tx, {
				subdistrictId: scope.subdistrictId,
				actorUserId: user.id,
				actor: user.username,
				action: 'plan.delete',
				targetKind: 'plan',
				targetId: String(id),
				address: getClientAddress()
			});
		});
	} catch (e) {
		refuse(e);
	}
	return json({ ok: true } satisfies Done);
};
