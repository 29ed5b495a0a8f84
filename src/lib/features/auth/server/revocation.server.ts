import { getDb } from '../../../server/db/index';
import type { Queryable, Unlisten } from '../../../server/db/types';

/**
 * What an open event stream was let in by: a session (`session:<hash>`), its user (`user:<id>`) or a wall link
 * (`wall:<hash>`). Revoking one closes, on every app instance, the streams it let in — at once, not at their
 * next request (issue 16 item 7).
 */
export type CredentialKey = `session:${string}` | `user:${number}` | `wall:${string}`;

const CHANNEL = 'gridwatch_revoked';

/** Says, when the transaction commits (NOTIFY waits for it), that `key` no longer lets anyone in. */
export async function announceRevoked(db: Queryable, key: CredentialKey): Promise<void> {
	await db.query('SELECT pg_notify($1, $2)', [CHANNEL, key]);
}

const ends = new Map<string, Set<() => void>>();
let subscription: Promise<Unlisten> | null = null;

/** Calls `end` once any of `keys` is revoked; returns the function that forgets it (when the stream ends anyway). */
export async function onRevoked(keys: CredentialKey[], end: () => void): Promise<() => void> {
	subscription ??= getDb().then((db) =>
		db.listen(CHANNEL, (key) => {
			for (const close of [...(ends.get(key) ?? [])]) close();
		})
	);
	try {
		await subscription;
	} catch (error) {
		subscription = null;
		throw error;
	}
	for (const key of keys) {
		let set = ends.get(key);
		if (!set) ends.set(key, (set = new Set()));
		set.add(end);
	}
	return () => {
		for (const key of keys) {
			const set = ends.get(key);
			set?.delete(end);
			if (set?.size === 0) ends.delete(key);
		}
	};
}

/**
 * Whether the credential behind a stream still lets it in, checked without touching the session (an open stream
 * is not a user's activity): not revoked, not past its absolute limit, the user not disabled; a wall link not
 * revoked. Catches what no announcement reached (expiry, a change made directly in the database).
 */
export async function stillValid(db: Queryable, keys: CredentialKey[]): Promise<boolean> {
	for (const key of keys) {
		if (key.startsWith('session:')) {
			const rows = await db.query(
				`SELECT 1 AS ok FROM user_session s JOIN app_user u ON u.id = s.user_id
				 WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
				[key.slice('session:'.length)]
			);
			if (rows.length === 0) return false;
		} else if (key.startsWith('wall:')) {
			const rows = await db.query(
				'SELECT 1 AS ok FROM wall_token WHERE id_hash = $1 AND revoked_at IS NULL',
				[key.slice('wall:'.length)]
			);
			if (rows.length === 0) return false;
		}
	}
	return true;
}
