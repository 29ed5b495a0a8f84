import { error, json } from '@sveltejs/kit';
import { say } from '$lib/server/say';
import { withScope } from '$lib/server/db/scope';
import { commitImport } from '$lib/features/intake/server/imports.server';
import { batchId, intakeContext } from '$lib/features/intake/server/scope.server';
import type { ImportBatchView } from '$lib/features/intake/contract';
import { streamed, wantsProgress, type Step } from '$lib/features/intake/server/progress.server';
import type { RequestHandler } from './$types';

/**
 * POST /api/imports/ID/commit → 200 ImportBatchView (streamed as ImportProgressLine when asked:
 * placed, written, refreshed; the client's cancel rolls it back). Writes the dry run's rows, all
 * or nothing; refused (409) when the data changed since so that a row no longer fits. Audited.
 */
export const POST: RequestHandler = async ({
	params,
	locals,
	getClientAddress,
	request,
	route
}) => {
	const id = batchId(params.id);
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	const run = async (step?: Step) => {
		try {
			return (await withScope(db, scope, (tx) =>
				commitImport(tx, scope, id, actor, context, step)
			)) satisfies ImportBatchView;
		} catch (cause) {
			// A check, range or unique rule of the database the row checks did not foresee: nothing was written.
			const code = (cause as { code?: unknown }).code;
			if (code !== '23514' && code !== '22003' && code !== '23505' && code !== '22021') throw cause;
			error(409, { message: say().intake_commit_refused({ id: String(id) }), code: 'conflict' });
		}
	};
	if (wantsProgress(request))
		return streamed(run, 200, { reqId: locals.requestId, route: route.id });
	return json(await run());
};
