import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from './types';

/**
 * What one request may see of person-level records (household, person, screening, observation,
 * service_task, staff, shift). Enforced by row-level security in the database, not by the query.
 *   none   aggregates only (leader, planner, wall screens)
 *   all    every grid of the subdistrict (data officer, system jobs)
 *   grids  only these grid ids (grid leaders; community leads get their community's grids)
 */
export interface AccessScope {
	subdistrictId: number;
	personScope: 'none' | 'all' | 'grids';
	gridIds: number[];
}

/**
 * Registers `scope` for the current transaction under a random token and points the session's
 * gridwatch.scope_token at it. Must run as the connection user (gridwatch_app cannot write the
 * table). Returns a function that removes the row again, so it is never committed.
 */
export async function enterScope(tx: Queryable, scope: AccessScope): Promise<() => Promise<void>> {
	const token = randomBytes(24).toString('base64url');
	await tx.query(
		'INSERT INTO request_scope (token, subdistrict_id, person_scope, grid_ids) VALUES ($1, $2, $3, $4::int[])',
		[
			token,
			scope.subdistrictId,
			scope.personScope,
			`{${scope.gridIds.map((id) => Math.trunc(id)).join(',')}}`
		]
	);
	await tx.query(`SELECT set_config('gridwatch.scope_token', $1, true)`, [token]);
	return async () => {
		await tx.query('DELETE FROM request_scope WHERE token = $1', [token]);
	};
}

/**
 * Runs `work` in a transaction as the gridwatch_app role, limited to `scope` by row-level security.
 * Every query the app makes on behalf of a user goes through here.
 */
export async function withScope<T>(
	db: Db,
	scope: AccessScope,
	work: (tx: Queryable) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		const leave = await enterScope(tx, scope);
		await tx.query('SET LOCAL ROLE gridwatch_app');
		const result = await work(tx);
		await tx.query('RESET ROLE');
		await leave();
		return result;
	});
}
