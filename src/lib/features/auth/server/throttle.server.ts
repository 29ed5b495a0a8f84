import type { Db, Queryable } from '../../../server/db/types';

/** At most 10 failed sign-ins per account and per address in 15 minutes (issue policy). */
export const THROTTLE = { maxFailures: 10, windowMinutes: 15 };

/** One lock for every reservation: held for two short statements, never while a password is checked. */
const RESERVE_LOCK = 20200126;

export type Reservation = { attemptId: number } | { waitMinutes: number };

async function inTransaction<T>(db: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
	return 'transaction' in db ? (db as Db).transaction(work) : work(db);
}

/**
 * Counts the account's and the address's failures in the window and, if both are under the limit, records this
 * attempt as a failure before its password is checked — under one lock, so that concurrent attempts each take
 * a place and no more than the limit are ever checked (issue 16 item 5). A correct password then marks the
 * attempt as succeeded (`markSucceeded`). Otherwise: the minutes to wait.
 */
export async function reserveSigninAttempt(
	db: Queryable,
	username: string,
	address: string
): Promise<Reservation> {
	return inTransaction(db, async (tx) => {
		await tx.query('SELECT pg_advisory_xact_lock($1)', [RESERVE_LOCK]);
		// A new statement after the lock: it sees every reservation committed before the lock was granted.
		const [row] = await tx.query<{
			byUser: number;
			byAddress: number;
			oldestUser: number | null;
			oldestAddress: number | null;
		}>(
			`SELECT count(*) FILTER (WHERE username = $1)::int AS "byUser",
			        count(*) FILTER (WHERE address = $2)::int AS "byAddress",
			        extract(epoch FROM now() - min(at) FILTER (WHERE username = $1))::float8 AS "oldestUser",
			        extract(epoch FROM now() - min(at) FILTER (WHERE address = $2))::float8 AS "oldestAddress"
			 FROM signin_attempt
			 WHERE NOT succeeded AND at > now() - make_interval(mins => $3) AND (username = $1 OR address = $2)`,
			[username, address, THROTTLE.windowMinutes]
		);
		const waitFor = (count: number, oldestSeconds: number | null) =>
			count >= THROTTLE.maxFailures && oldestSeconds !== null
				? Math.max(1, Math.ceil(THROTTLE.windowMinutes - oldestSeconds / 60))
				: 0;
		const waitMinutes = Math.max(
			waitFor(row.byUser, row.oldestUser),
			waitFor(row.byAddress, row.oldestAddress)
		);
		if (waitMinutes > 0) return { waitMinutes };
		const [{ id }] = await tx.query<{ id: number }>(
			'INSERT INTO signin_attempt (username, address, succeeded) VALUES ($1, $2, false) RETURNING id::int AS id',
			[username, address]
		);
		return { attemptId: id };
	});
}

export async function markSucceeded(db: Queryable, attemptId: number): Promise<void> {
	await db.query('UPDATE signin_attempt SET succeeded = true WHERE id = $1', [attemptId]);
}

/**
 * Counts a refused (throttled) attempt for its address in the current window. True for the first one of the
 * window, which alone is audited: an attacker cannot fill the audit log by repeating a refused sign-in.
 */
export async function countThrottled(db: Queryable, address: string): Promise<boolean> {
	const [{ attempts }] = await db.query<{ attempts: number }>(
		`INSERT INTO signin_throttled AS t (address, window_start)
		 VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / ($2 * 60)) * ($2 * 60)))
		 ON CONFLICT (address, window_start) DO UPDATE SET attempts = t.attempts + 1, last_at = now()
		 RETURNING attempts`,
		[address, THROTTLE.windowMinutes]
	);
	return attempts === 1;
}

/**
 * The throttle needs 15 minutes of attempts; the audit log is the lasting record of sign-ins (every checked
 * attempt, the first refused one per address and window). So the throttle's own rows — usernames and
 * addresses — are kept a day, then deleted: at most once an hour per process, by the next sign-in.
 */
export const SIGNIN_ROWS_KEPT_HOURS = 24;
let lastPruned = 0;

export async function pruneSigninRows(
	db: Queryable,
	options: { force?: boolean } = {}
): Promise<{ attempts: number; throttled: number } | null> {
	const now = Date.now();
	if (!options.force && now - lastPruned < 3_600_000) return null;
	lastPruned = now;
	const [row] = await db.query<{ attempts: number; throttled: number }>(
		`WITH a AS (DELETE FROM signin_attempt WHERE at < now() - make_interval(hours => $1) RETURNING 1),
		      t AS (DELETE FROM signin_throttled WHERE last_at < now() - make_interval(hours => $1) RETURNING 1)
		 SELECT (SELECT count(*)::int FROM a) AS attempts, (SELECT count(*)::int FROM t) AS throttled`,
		[SIGNIN_ROWS_KEPT_HOURS]
	);
	return row;
}
