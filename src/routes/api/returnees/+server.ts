import { error } from '@sveltejs/kit';
import { getDb, getConfig } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getDataPeriod } from '$lib/server/queries/areas';
import { now } from '$lib/server/clock';
import { loadGapSettings } from '$lib/features/gaps/server/gaps.server';
import { checkFields, readJsonObject } from '$lib/server/http';
import { serverSecret, hashIdNumber } from '$lib/server/secret';
import { writeOnce } from '$lib/server/idempotency';
import {
	alreadyRegistered,
	checkReturnee,
	registerReturnee,
	registeredWhere,
	ReturneeBody
} from '$lib/features/capture/server/returnees.server';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/**
 * POST /api/returnees {name, phone, idNumber, origin, arrivedAt, householdId | address} → 201
 * ReturneeCreated. Registers a returnee in the caller's grids; an ID number registered anywhere in the
 * subdistrict is a 409 saying where. With an Idempotency-Key header a repeat gets the first answer.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	if (scope.personScope === 'none')
		error(403, { message: say().capture_sees_no_persons(), code: 'forbidden' });
	const raw = await readJsonObject(request);
	const body = checkFields(ReturneeBody, raw);
	const db = await getDb();
	const clock = await now(db);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const { arrivedAt } = checkReturnee(body, clock, period);
	const settings = await loadGapSettings(db);
	const secret = serverSecret(getConfig());
	const actor = { id: user.id, username: user.username, address: getClientAddress() };
	const context = { period, clock, settings, secret, lang: locals.lang };
	try {
		return await writeOnce(
			db,
			scope,
			{ request, userId: user.id, route: 'POST /api/returnees', input: body },
			async (tx) => ({
				status: 201,
				body: await registerReturnee(tx, scope, { ...body, arrivedAt }, actor, context)
			})
		);
	} catch (cause) {
		// The same ID number registered by another phone at the same moment: the unique key refuses
		// the second; it is told where the first went.
		if ((cause as { code?: unknown }).code !== '23505') throw cause;
		const found = await withScope(db, scope, (tx) =>
			registeredWhere(tx, hashIdNumber(secret, body.idNumber))
		);
		if (!found) throw cause;
		alreadyRegistered(found, locals.lang);
	}
};
