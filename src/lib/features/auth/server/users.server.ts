import type { Queryable } from '../../../server/db/types';
import type { AccessScope } from '../../../server/db/scope';
import { scopeKind, type Role } from '../model/roles';
import type { SessionUser } from './sessions.server';
import { hashPassword } from './password.server';
import { say } from '../../../server/say';

export interface NewUser {
	subdistrictId: number;
	username: string;
	displayName: string;
	role: Role;
	password: string;
	/** Community codes (community_lead) or grid codes (grid_leader). */
	areaCodes: string[];
}

/** Creates a user with a hashed password and its scope, in the caller's transaction. */
export async function createUser(tx: Queryable, user: NewUser): Promise<number> {
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO app_user (subdistrict_id, username, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[
			user.subdistrictId,
			user.username,
			user.displayName,
			user.role,
			await hashPassword(user.password)
		]
	);
	await setUserScope(tx, id, user.subdistrictId, user.role, user.areaCodes);
	return id;
}

/** Scope codes that are not grids or communities of the subdistrict (the message names them). */
export class UnknownAreaCodes extends Error {}

/** Replaces a user's scope; throws UnknownAreaCodes with the unknown codes named. */
export async function setUserScope(
	tx: Queryable,
	userId: number,
	subdistrictId: number,
	role: Role,
	areaCodes: string[]
): Promise<void> {
	await tx.query('DELETE FROM user_scope WHERE user_id = $1', [userId]);
	const kind = scopeKind(role);
	if (kind !== 'grids' && kind !== 'communities') return;
	const table = kind === 'grids' ? 'grid' : 'community';
	const rows = await tx.query<{ id: number; code: string }>(
		`SELECT id, code FROM ${table} WHERE subdistrict_id = $1 AND code IN (SELECT jsonb_array_elements_text($2::text::jsonb))`,
		[subdistrictId, JSON.stringify(areaCodes)]
	);
	const unknown = areaCodes.filter((code) => !rows.some((r) => r.code === code));
	if (unknown.length) {
		const w = say();
		const codes = unknown.join(w.core_list_separator());
		throw new UnknownAreaCodes(
			kind === 'grids'
				? w.admin_unknown_grid_codes({ codes })
				: w.admin_unknown_community_codes({ codes })
		);
	}
	for (const row of rows) {
		await tx.query(`INSERT INTO user_scope (user_id, ${table}_id) VALUES ($1, $2)`, [
			userId,
			row.id
		]);
	}
}

/** The database scope of a signed-in user's requests. An empty scope set means no person-level access. */
export async function scopeOf(tx: Queryable, user: SessionUser): Promise<AccessScope> {
	const kind = scopeKind(user.role);
	if (kind === 'subdistrict')
		return { subdistrictId: user.subdistrictId, personScope: 'all', gridIds: [] };
	if (kind === 'none')
		return { subdistrictId: user.subdistrictId, personScope: 'none', gridIds: [] };
	const rows = await tx.query<{ id: number }>(
		`SELECT g.id FROM user_scope s JOIN grid g ON g.id = s.grid_id OR g.community_id = s.community_id
		 WHERE s.user_id = $1 AND g.subdistrict_id = $2 ORDER BY g.id`,
		[user.id, user.subdistrictId]
	);
	return rows.length
		? { subdistrictId: user.subdistrictId, personScope: 'grids', gridIds: rows.map((r) => r.id) }
		: { subdistrictId: user.subdistrictId, personScope: 'none', gridIds: [] };
}

export interface UserListing {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	disabled: boolean;
	areas: string[];
}

export async function listUsers(db: Queryable, subdistrictId: number): Promise<UserListing[]> {
	return db.query<UserListing>(
		`SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.disabled,
		        coalesce(array_agg(coalesce(g.code, c.code) ORDER BY coalesce(g.code, c.code)) FILTER (WHERE s.user_id IS NOT NULL), '{}') AS areas
		 FROM app_user u
		 LEFT JOIN user_scope s ON s.user_id = u.id
		 LEFT JOIN grid g ON g.id = s.grid_id
		 LEFT JOIN community c ON c.id = s.community_id
		 WHERE u.subdistrict_id = $1
		 GROUP BY u.id ORDER BY u.username`,
		[subdistrictId]
	);
}

/** An enabled user by name (for the demo sign-in, which has no password), or undefined. */
export async function activeUser(
	db: Queryable,
	username: string
): Promise<{ id: number; subdistrictId: number } | undefined> {
	const [user] = await db.query<{ id: number; subdistrictId: number }>(
		'SELECT id, subdistrict_id AS "subdistrictId" FROM app_user WHERE username = $1 AND NOT disabled',
		[username]
	);
	return user;
}

/** The grid code of a grid leader who has exactly one grid (their phone's home page), else null. */
export async function soleGridOfLeader(db: Queryable, username: string): Promise<string | null> {
	const rows = await db.query<{ role: string; code: string }>(
		`SELECT u.role, g.code FROM app_user u JOIN user_scope s ON s.user_id = u.id JOIN grid g ON g.id = s.grid_id WHERE u.username = $1`,
		[username]
	);
	return rows.length === 1 && rows[0].role === 'grid_leader' ? rows[0].code : null;
}

/** Enables or disables a user of the subdistrict; false when there is no such user there. */
export async function setUserDisabled(
	tx: Queryable,
	subdistrictId: number,
	id: number,
	disabled: boolean
): Promise<boolean> {
	const updated = await tx.query(
		'UPDATE app_user SET disabled = $2 WHERE id = $1 AND subdistrict_id = $3 RETURNING id',
		[id, disabled, subdistrictId]
	);
	return updated.length > 0;
}

/** Sets a user's password hash; false when there is no such user in the subdistrict. */
export async function setUserPasswordHash(
	tx: Queryable,
	subdistrictId: number,
	id: number,
	hash: string
): Promise<boolean> {
	const updated = await tx.query(
		'UPDATE app_user SET password_hash = $2 WHERE id = $1 AND subdistrict_id = $3 RETURNING id',
		[id, hash, subdistrictId]
	);
	return updated.length > 0;
}

/** A user's role when the user is in the subdistrict, else undefined. */
export async function roleOfUser(
	db: Queryable,
	subdistrictId: number,
	id: number
): Promise<string | undefined> {
	const [found] = await db.query<{ role: string }>(
		'SELECT role FROM app_user WHERE id = $1 AND subdistrict_id = $2',
		[id, subdistrictId]
	);
	return found?.role;
}
