import { json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { readDuplicates } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { DuplicateList } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/**
 * GET /api/duplicates → DuplicateList: persons that are probably the same (横向查重), strongest rule
 * first, with recent merges and pairs kept apart. Data officers and administrators; a person-level
 * read, audited with the persons it names.
 */
export const GET: RequestHandler = async ({ locals, getClientAddress }) => {
	const { db, scope, actor } = await intakeContext(locals, getClientAddress);
	const list = await withScope(db, scope, (tx) => readDuplicates(tx, scope.subdistrictId, actor));
	return json(list satisfies DuplicateList);
};
