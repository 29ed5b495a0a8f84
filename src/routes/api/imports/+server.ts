import { error, json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { checkFields } from '$lib/server/http';
import { readForm } from '$lib/server/forms';
import { say } from '$lib/server/say';
import {
	dryRunRead,
	readRegister,
	ImportOptions,
	listImports,
	MAX_IMPORT_BYTES
} from '$lib/features/intake/server/imports.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import { streamed, wantsProgress, type Step } from '$lib/features/intake/server/progress.server';
import type { ImportList, ImportPreview } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/** GET /api/imports → ImportList: the subdistrict's batches, newest first. */
export const GET: RequestHandler = async ({ locals, getClientAddress }) => {
	const { db, scope } = await intakeContext(locals, getClientAddress);
	return json((await withScope(db, scope, listImports)) satisfies ImportList);
};

/**
 * POST /api/imports (multipart: file, kind — address_register, returnees, grids or communities —, datum?, sheet?) → 201 ImportPreview
 * (streamed as ImportProgressLine when asked: the client's cancel stops it, nothing written). Reads and checks the
 * file and keeps what a commit would write as a dry-run batch; writes no record. Audited.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress, route }) => {
	const { db, scope, actor, context } = await intakeContext(locals, getClientAddress);
	const form = await readForm(request);
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0)
		error(400, { message: say().intake_no_file(), field: 'file', code: 'bad_file' });
	if (file.size > MAX_IMPORT_BYTES)
		error(413, {
			message: say().intake_file_too_large({
				size: (file.size / 1048576).toFixed(1),
				limit: String(MAX_IMPORT_BYTES / 1048576)
			}),
			field: 'file',
			code: 'too_large'
		});
	const options = checkFields(ImportOptions, {
		kind: form.get('kind') ?? undefined,
		datum: form.get('datum') || undefined,
		sheet: form.get('sheet') || undefined
	});
	const bytes = new Uint8Array(await file.arrayBuffer());
	// Parsed before the transaction: a large workbook holds no database connection while it is read.
	const run = async (step?: Step) => {
		const register = await readRegister({ name: file.name, bytes }, options, context, step);
		return (await withScope(db, scope, (tx) =>
			dryRunRead(tx, scope, register, options, actor, locals.lang, step)
		)) satisfies ImportPreview;
	};
	// With `Accept: application/x-ndjson`: each phase as it passes, then the preview (ImportProgressLine).
	if (wantsProgress(request))
		return streamed(run, 201, { reqId: locals.requestId, route: route.id });
	return json(await run(), { status: 201 });
};
