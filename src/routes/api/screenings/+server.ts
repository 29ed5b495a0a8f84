import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { getDataPeriod } from '$lib/server/queries/areas';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { loadGapSettings } from '$lib/features/gaps/server/gaps.server';
import { badField, checkFields, madeAt, readJsonObject } from '$lib/server/http';
import { writeOnce } from '$lib/server/idempotency';
import { recordScreening, ScreeningBody } from '$lib/features/gaps/server/screenings.server';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/**
 * POST /api/screenings {personId, method: door|phone|checkpoint, result: normal|fever|referred, at?}
 * Records one screening of a person in the caller's scope (row-level security refuses others),
 * refreshes the grid figures from that day on, and tells open maps and wall screens. Audited.
 * With an Idempotency-Key header a repeat gets the first answer and writes nothing.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	const raw = await readJsonObject(request);
	const body = checkFields(ScreeningBody, raw);
	const db = await getDb();
	const clock = await now(db);
	// Without a time of its own, a screening is dated when it was made (a queued one, earlier).
	const at = body.at === undefined ? madeAt(request, clock) : Date.parse(body.at);
	if (at > clock + 60_000) {
		const reason = say().gaps_screening_in_future();
		badField('at', reason);
	}
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	if (beijingDay(at) < period.first) {
		const reason = say().gaps_screening_before_period({ first: period.first });
		badField('at', reason);
	}
	const settings = await loadGapSettings(db);
	const actor = { id: user.id, username: user.username, address: getClientAddress() };
	return writeOnce(
		db,
		scope,
		{ request, userId: user.id, route: 'POST /api/screenings', input: body },
		async (tx) => ({
			status: 201,
			body: await recordScreening(tx, scope, { ...body, at }, actor, period, clock, settings)
		})
	);
};
