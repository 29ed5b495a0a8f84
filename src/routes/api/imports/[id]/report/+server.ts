import { withScope } from '$lib/server/db/scope';
import { problemsReport } from '$lib/features/intake/server/imports.server';
import { batchId, intakeContext } from '$lib/features/intake/server/scope.server';
import type { RequestHandler } from './$types';

/** GET /api/imports/ID/report → XLSX: every row the batch's dry run refused, with column, value and reason. */
export const GET: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = batchId(params.id);
	const { db, scope } = await intakeContext(locals, getClientAddress);
	const bytes = await withScope(db, scope, (tx) => problemsReport(tx, id, locals.lang));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="import-${id}-problems.xlsx"`,
			'cache-control': 'no-store'
		}
	});
};
