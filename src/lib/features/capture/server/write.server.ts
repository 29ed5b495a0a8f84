import { error } from '@sveltejs/kit';
import { getDb } from '../../../server/db';
import { requireScope } from '../../../server/access';
import { getDataPeriod } from '../../../server/queries/areas';
import { now } from '../../../server/clock';
import { loadGapSettings } from '../../gaps/server/gaps.server';
import { checkFields, madeAt, readJsonObject } from '../../../server/http';
import { say } from '../../../server/say';
import type * as v from 'valibot';

/**
 * What every phone write needs before it runs: the caller (signed in, with a person-level scope),
 * the body checked against `schema`, the clock, when it was made (a queued write, earlier), the data
 * period and the gap settings (read before the scope is entered).
 */
export async function prepareWrite<S extends v.GenericSchema>(
	event: { request: Request; locals: App.Locals; getClientAddress: () => string },
	schema: S
) {
	const scope = requireScope(event.locals);
	const user = event.locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	if (scope.personScope === 'none')
		error(403, { message: say().capture_sees_no_persons(), code: 'forbidden' });
	const body: v.InferOutput<S> = checkFields(schema, await readJsonObject(event.request));
	const db = await getDb();
	const clock = await now(db);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const settings = await loadGapSettings(db);
	return {
		db,
		scope,
		body,
		userId: user.id,
		at: madeAt(event.request, clock),
		actor: { id: user.id, username: user.username, address: event.getClientAddress() },
		context: { period, clock, settings }
	};
}
