import type { Queryable } from '../db/types';

/** At most 10 failed sign-ins per account and per address in 15 minutes (issue policy). */
export const THROTTLE = { maxFailures: 10, windowMinutes: 15 };

/** Minutes to wait before another attempt, or 0 when allowed. */
export async function signinWaitMinutes(db: Queryable, username: string, address: string): Promise<number> {
	const [row] = await db.query<{ byUser: number; byAddress: number; oldestUser: number | null; oldestAddress: number | null }>(
		`SELECT count(*) FILTER (WHERE username = $1)::int AS "byUser",
		        count(*) FILTER (WHERE address = $2)::int AS "byAddress",
		        extract(epoch FROM now() - min(at) FILTER (WHERE username = $1))::float8 AS "oldestUser",
		        extract(epoch FROM now() - min(at) FILTER (WHERE address = $2))::float8 AS "oldestAddress"
		 FROM signin_attempt
		 WHERE NOT succeeded AND at > now() - make_interval(mins => $3) AND (username = $1 OR address = $2)`,
		[username, address, THROTTLE.windowMinutes]
	);
	const waitFor = (count: number, oldestSeconds: number | null) =>
		count >= THROTTLE.maxFailures && oldestSeconds !== null ? Math.max(1, Math.ceil(THROTTLE.windowMinutes - oldestSeconds / 60)) : 0;
	return Math.max(waitFor(row.byUser, row.oldestUser), waitFor(row.byAddress, row.oldestAddress));
}

export async function recordSigninAttempt(db: Queryable, username: string, address: string, succeeded: boolean): Promise<void> {
	await db.query('INSERT INTO signin_attempt (username, address, succeeded) VALUES ($1, $2, $3)', [username, address, succeeded]);
}
