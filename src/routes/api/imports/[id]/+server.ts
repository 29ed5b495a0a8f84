import { error, json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { say } from '$lib/server/say';
import { rollbackImport } from '$lib/features/intake/server/imports.server';
import { batchId, intakeContext } from '$lib/features/intake/server/scope.server';
import type { ImportBatchView } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/**
 * DELETE /api/imports/ID → 200 ImportBatchView. Rolls a committed batch back whole; refused (409)
 * while records entered since depend on what it added. Audited.
 */
export const DELETE: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = batchId(params.id);
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	try {
		const batch = await withScope(db, scope, (tx) => rollbackImport(tx, scope, id, actor, context));
		return json(batch satisfies ImportBatchView);
	} catch (cause) {
		// A row the batch added is referenced by a record this check does not know of: nothing was undone.
		if ((cause as { code?: unknown }).code !== '23503') throw cause;
		error(409, { message: say().intake_rollback_depends({ id: String(id) }), code: 'conflict' });
	}
};
