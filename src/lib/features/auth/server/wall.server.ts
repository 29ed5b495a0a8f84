import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../../server/db/types';
import { hashToken } from './sessions.server';
import { announceRevoked } from './revocation.server';

/** A wall screen's read-only access: aggregates of one subdistrict, small counts suppressed below k. */
export interface WallAccess {
	subdistrictId: number;
	label: string;
	suppressBelow: number;
	/** The stored hash of the link's token: names the link to revoke (and its open streams to close). */
	idHash: string;
}

export async function createWallToken(
	db: Queryable,
	subdistrictId: number,
	label: string,
	suppressBelow: number,
	createdBy: number
): Promise<string> {
	const token = `wall_${randomBytes(24).toString('base64url')}`;
	await db.query(
		'INSERT INTO wall_token (id_hash, subdistrict_id, label, suppress_below, created_by) VALUES ($1, $2, $3, $4, $5)',
		[hashToken(token), subdistrictId, label, suppressBelow, createdBy]
	);
	return token;
}

export async function validateWallToken(db: Queryable, token: string): Promise<WallAccess | null> {
	const [row] = await db.query<WallAccess>(
		'SELECT subdistrict_id AS "subdistrictId", label, suppress_below AS "suppressBelow", id_hash AS "idHash" FROM wall_token WHERE id_hash = $1 AND revoked_at IS NULL',
		[hashToken(token)]
	);
	return row ?? null;
}

export interface WallTokenListing {
	idHash: string;
	label: string;
	suppressBelow: number;
	createdAt: string;
	revokedAt: string | null;
}

export async function listWallTokens(
	db: Queryable,
	subdistrictId: number
): Promise<WallTokenListing[]> {
	return db.query<WallTokenListing>(
		`SELECT id_hash AS "idHash", label, suppress_below AS "suppressBelow",
		        to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "createdAt",
		        to_char(revoked_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "revokedAt"
		 FROM wall_token WHERE subdistrict_id = $1 ORDER BY created_at DESC`,
		[subdistrictId]
	);
}

export async function revokeWallToken(
	db: Queryable,
	subdistrictId: number,
	idHash: string
): Promise<boolean> {
	const rows = await db.query(
		'UPDATE wall_token SET revoked_at = now() WHERE id_hash = $1 AND subdistrict_id = $2 AND revoked_at IS NULL RETURNING 1 AS x',
		[idHash, subdistrictId]
	);
	if (rows.length > 0) await announceRevoked(db, `wall:${idHash}`);
	return rows.length > 0;
}
