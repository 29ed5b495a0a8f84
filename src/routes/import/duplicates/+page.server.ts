import { withScope } from '$lib/server/db/scope';
import { readDuplicates } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PageServerLoad } from './$types';

/** 横向查重: the candidates, merges and pairs kept apart; a person-level read, audited like the API's. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const { db, scope, actor } = await intakeContext(locals, getClientAddress);
	return {
		lang: locals.lang,
		...(await withScope(db, scope, (tx) => readDuplicates(tx, scope.subdistrictId, actor)))
	};
};
