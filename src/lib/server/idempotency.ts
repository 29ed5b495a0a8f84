/**
 * Idempotent writes. A phone that loses its answer sends the same request again with the same
 * `Idempotency-Key` header; the server answers with the first answer and writes nothing more. The
 * key is the caller's own (two users may use the same key), kept 24 hours, and stored in the same
 * transaction as the write it answers, so a write and its key commit together or not at all. Two
 * copies of one request arriving together are taken one after the other (a transaction-scoped
 * advisory lock on the key): the second finds the first's answer.
 *
 * Only successful answers are kept: a refused request (400, 409…) may be corrected and sent again
 * under the same key. The same key with a different body or route is a 422.
 */
import { createHash } from 'node:crypto';
import { error, json } from '@sveltejs/kit';
import type { AccessScope } from './db/scope';
import { withScope } from './db/scope';
import type { Db, Queryable } from './db/types';
import { say } from './say';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\w.:~-]{8,200}$/;
const KEEP_HOURS = 24;

export interface Answer<T> {
	status: number;
	body: T;
}

/** A stable text of a JSON value: object keys sorted, so the same request hashes the same. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value) ?? 'null';
}

/** The request's key, or null without one; a malformed key is a 400 naming the header. */
export function idempotencyKey(request: Request): string | null {
	const key = request.headers.get(IDEMPOTENCY_HEADER);
	if (key === null) return null;
	if (!KEY.test(key))
		error(400, {
			message: say().core_idempotency_key_invalid({ header: IDEMPOTENCY_HEADER }),
			code: 'bad_idempotency_key'
		});
	return key;
}

let lastPurge = 0;

/**
 * Runs `work` in the caller's scope once per Idempotency-Key and answers with its result; without a
 * key it simply runs. `route` names the endpoint (`POST /api/returnees`), `input` is the body as
 * sent (its hash tells a replay from a different request under the same key).
 */
export async function writeOnce<T>(
	db: Db,
	scope: AccessScope,
	call: { request: Request; userId: number; route: string; input: unknown },
	work: (tx: Queryable) => Promise<Answer<T>>
): Promise<Response> {
	const key = idempotencyKey(call.request);
	if (key === null) {
		const answer = await withScope(db, scope, work);
		return json(answer.body, { status: answer.status });
	}
	const hash = createHash('sha256')
		.update(`${call.route}\n${canonical(call.input)}`)
		.digest('hex');
	const outcome = await withScope(db, scope, async (tx) => {
		await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
			'idempotency',
			`${call.userId}:${key}`
		]);
		if (Date.now() - lastPurge > 3_600_000) {
			lastPurge = Date.now();
			await tx.query(
				`DELETE FROM idempotent_request WHERE created_at < now() - make_interval(hours => $1)`,
				[KEEP_HOURS]
			);
		} else
			await tx.query(
				`DELETE FROM idempotent_request WHERE user_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
				[call.userId, key, KEEP_HOURS]
			);
		const [stored] = await tx.query<{ route: string; hash: string; status: number; answer: T }>(
			`SELECT route, request_hash AS hash, status, answer FROM idempotent_request WHERE user_id = $1 AND key = $2`,
			[call.userId, key]
		);
		if (stored) {
			if (stored.hash !== hash)
				error(422, {
					message: say().core_idempotency_key_reused({ header: IDEMPOTENCY_HEADER }),
					code: 'idempotency_key_reused'
				});
			return { answer: { status: stored.status, body: stored.answer }, replayed: true };
		}
		const answer = await work(tx);
		await tx.query(
			`INSERT INTO idempotent_request (user_id, key, route, request_hash, status, answer) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)`,
			[call.userId, key, call.route, hash, answer.status, JSON.stringify(answer.body)]
		);
		return { answer, replayed: false };
	});
	return json(outcome.answer.body, {
		status: outcome.answer.status,
		headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {}
	});
}
