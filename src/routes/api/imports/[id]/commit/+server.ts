import { json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { commitImport } from '$lib/features/intake/server/imports.server';
import { batchId, intakeContext } from '$lib/features/intake/server/scope.server';
import type { ImportBatchView } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/imports/ID/commit → 200 ImportBatchView. Writes the dry run's rows, all or nothing;
 * refused (409) when the data changed since so that a row no longer fits. Audited.
 */
export const POST: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = batchId(params.id);
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	const batch = await withScope(db, scope, (tx) => commitImport(tx, scope, id, actor, context));
	return json(batch satisfies ImportBatchView);
};
