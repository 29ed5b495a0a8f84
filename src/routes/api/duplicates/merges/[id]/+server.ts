import { error, json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { say } from '$lib/server/say';
import { undoMerge } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PersonMergeView } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/**
 * DELETE /api/duplicates/merges/ID → 200 PersonMergeView: the merge undone (the merged person and
 * their records back). Refused (409) in words when that cannot be done whole. Audited.
 */
export const DELETE: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : 0;
	if (id < 1)
		error(404, {
			message: say().intake_dup_merge_not_found({ id: params.id.slice(0, 20) }),
			code: 'not_found'
		});
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	const merge = await withScope(db, scope, (tx) => undoMerge(tx, scope, id, actor, context));
	return json(merge satisfies PersonMergeView);
};
