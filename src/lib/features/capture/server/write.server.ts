import { error } from '@sveltejs/kit';
import { getDb } from '../../../server/db';
import { requireScope } from '../../../server/access';
import { getDataPeriod } from '../../../server/queries/areas';
import { now } from '../../../server/clock';
import { loadGapSettings } from '../../gaps/server/gaps.server';
import { checkFields, madeAt, readJsonObject } from '../../../server/http';
import { say } from '../../../server/say';
import { writeOnce } from '../../../server/idempotency';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
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

type Prepared<S extends v.GenericSchema> = Awaited<ReturnType<typeof prepareWrite<S>>>;

/**
 * A phone write from start to answer: `prepareWrite`, then `run` inside the caller's scope, written
 * once per Idempotency-Key (a replay returns the first answer). `route` names the endpoint as the
 * key's hash and the audit read it (`POST /api/observations`).
 */
export async function captureWrite<S extends v.GenericSchema, T>(
	event: { request: Request; locals: App.Locals; getClientAddress: () => string },
	schema: S,
	route: string,
	status: 200 | 201,
	run: (
		tx: Queryable,
		write: Omit<Prepared<S>, 'db' | 'userId'> & { scope: AccessScope }
	) => Promise<T>
): Promise<Response> {
	const { db, userId, ...write } = await prepareWrite(event, schema);
	return writeOnce(
		db,
		write.scope,
		{ request: event.request, userId, route, input: write.body },
		async (tx) => ({ status, body: await run(tx, write) })
	);
}
