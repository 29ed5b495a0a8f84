import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../../server/db/types';
import { isRole, type Role } from '../model/roles';
import { announceRevoked } from './revocation.server';

export interface SessionPolicy {
	idleMinutes: number;
	absoluteHours: number;
}

export interface SessionUser {
	id: number;
	subdistrictId: number;
	username: string;
	displayName: string;
	role: Role;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a server-side session; returns the token for the cookie (only its hash is stored). */
export async function createSession(
	db: Queryable,
	userId: number,
	policy: SessionPolicy,
	address: string
): Promise<string> {
	const token = randomBytes(32).toString('base64url');
	await db.query(
		`INSERT INTO user_session (id_hash, user_id, expires_at, address) VALUES ($1, $2, now() + make_interval(hours => $3), $4)`,
		[hashToken(token), userId, policy.absoluteHours, address]
	);
	return token;
}

/**
 * The session's user if the session exists, is not revoked, not past its absolute limit and was
 * used within the idle timeout; touches last_seen_at. Otherwise null.
 */
export async function validateSession(
	db: Queryable,
	token: string,
	policy: SessionPolicy
): Promise<SessionUser | null> {
	const rows = await db.query<{
		id: number;
		subdistrictId: number;
		username: string;
		displayName: string;
		role: string;
	}>(
		`UPDATE user_session s SET last_seen_at = now()
		 FROM app_user u
		 WHERE s.id_hash = $1 AND u.id = s.user_id AND NOT u.disabled
		   AND s.revoked_at IS NULL AND s.expires_at > now()
		   AND s.last_seen_at > now() - make_interval(mins => $2)
		 RETURNING u.id, u.subdistrict_id AS "subdistrictId", u.username, u.display_name AS "displayName", u.role`,
		[hashToken(token), policy.idleMinutes]
	);
	const row = rows[0];
	if (!row || !isRole(row.role)) return null;
	return { ...row, role: row.role };
}

/** Ends the session; its open event streams close at once (on every instance, when the transaction commits). */
export async function revokeSession(db: Queryable, token: string): Promise<void> {
	await db.query(
		'UPDATE user_session SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL',
		[hashToken(token)]
	);
	await announceRevoked(db, `session:${hashToken(token)}`);
}

/** Ends every session of a user (disabled, password reset); their open event streams close at once. */
export async function revokeUserSessions(db: Queryable, userId: number): Promise<void> {
	await db.query(
		'UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
		[userId]
	);
	await announceRevoked(db, `user:${userId}`);
}
