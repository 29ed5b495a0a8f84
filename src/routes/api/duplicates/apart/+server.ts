import { json } from '@sveltejs/kit';
import { withScope } from '$lib/server/db/scope';
import { checkFields, readJsonObject } from '$lib/server/http';
import { ApartBody, setApart } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { ApartDecision } from '$lib/features/intake/contract';
import type { RequestHandler } from './$types';

/** Both verbs take {a, b}: two persons; answered with the pair as stored (smaller id first). */
async function decide(
	request: Request,
	locals: App.Locals,
	getClientAddress: () => string,
	apart: boolean
) {
	const { db, scope, actor } = await intakeContext(locals, getClientAddress);
	const { a, b } = checkFields(ApartBody, await readJsonObject(request));
	await withScope(db, scope, (tx) => setApart(tx, scope, [a, b], apart, actor));
	return { a: Math.min(a, b), b: Math.max(a, b), apart } satisfies ApartDecision;
}

/** POST /api/duplicates/apart {a, b} → 201: the two are two people; no longer listed. Audited. */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) =>
	json(await decide(request, locals, getClientAddress, true), { status: 201 });

/** DELETE /api/duplicates/apart {a, b} → 200: that decision taken back; listed again. Audited. */
export const DELETE: RequestHandler = async ({ request, locals, getClientAddress }) =>
	json(await decide(request, locals, getClientAddress, false));
