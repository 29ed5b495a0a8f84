import { withScope } from '$lib/server/db/scope';
import { listImports } from '$lib/features/intake/server/imports.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const { db, scope } = await intakeContext(locals, getClientAddress);
	return { lang: locals.lang, ...(await withScope(db, scope, listImports)) };
};
