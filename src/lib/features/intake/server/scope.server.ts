import { error } from '@sveltejs/kit';
import type { AccessScope } from '../../../server/db/scope';
import { getConfig, getDb } from '../../../server/db';
import { serverSecret } from '../../../server/secret';
import { loadGapSettings } from '../../gaps/server/gaps.server';
import { now } from '../../../server/clock';
import { getDataPeriod } from '../../../server/queries/areas';
import { say } from '../../../server/say';

/**
 * Who may import (data officers and administrators, the guard's `intake` access) and the scope an
 * import runs in: the caller's whole subdistrict, so row-level security lets it write any household
 * and building of it and nothing of another subdistrict.
 */
export async function intakeContext(locals: App.Locals, getClientAddress: () => string) {
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	// The guard says the same (access 'intake'); checked again where the wide scope is made.
	if (user.role !== 'data_officer' && user.role !== 'admin')
		error(403, { message: say().core_forbidden(), code: 'forbidden' });
	const scope: AccessScope = { subdistrictId: user.subdistrictId, personScope: 'all', gridIds: [] };
	const db = await getDb();
	return {
		db,
		scope,
		actor: { id: user.id, username: user.username, address: getClientAddress() },
		context: {
			period: await getDataPeriod(db),
			clock: await now(db),
			secret: serverSecret(getConfig()),
			settings: await loadGapSettings(db)
		}
	};
}

/** A batch id from the path: a positive whole number, else a 404 in words. */
export function batchId(raw: string): number {
	const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
	if (id < 1)
		error(404, { message: say().intake_bad_batch_id({ id: raw.slice(0, 20) }), code: 'not_found' });
	return id;
}
