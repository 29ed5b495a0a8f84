import { json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { checkFields, readJsonObject } from '$lib/server/http';
import { MergeBody, mergePersons } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PersonMergeView } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/duplicates/merges {keep, merge} → 201 PersonMergeView: the merged person's records move
 * to the kept file and the merged row is kept for an undo. Only a pair a rule links (409 otherwise).
 * Audited.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	const body = checkFields(MergeBody, await readJsonObject(request));
	const merge = await withScope(db, scope, (tx) => mergePersons(tx, scope, body, actor, context));
	return json(merge satisfies PersonMergeView, { status: 201 });
};
