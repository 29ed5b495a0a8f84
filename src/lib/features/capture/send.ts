/**
 * Sending a form from a phone. Every submission gets its Idempotency-Key when it is made, not when it
 * is sent, so a retry (a lost answer, a reconnect) carries the same key and is written once.
 */

/** One submission of a form: where it goes, what it says, and its key. */
export interface Submission<B = unknown> {
	key: string;
	path: string;
	body: B;
	/** When it was made (ms). */
	madeAt: number;
}

export type Sent<R> =
	| { ok: true; status: number; body: R; replayed: boolean }
	| { ok: false; status: number; message: string; field?: string; code?: string }
	/** No answer: the network is down or the request was cut. Keep it and send it again. */
	| { ok: false; status: 0; offline: true; message: string }
	/** Kept too: the session has ended or the server asks to wait (401, 403, 408, 429). */
	| { ok: false; status: number; retry: true; message: string };

/** How long a submission waited on the phone (ms), sent as this header: the server dates it back by that much. */
export const QUEUED_HEADER = 'x-queued-ms';

/** A key nobody else will make: 128 random bits. */
export function newKey(): string {
	return crypto.randomUUID();
}

/**
 * A write to send. The body is copied as the JSON it will be sent as: a form's reactive state (a
 * Svelte proxy) cannot be stored in IndexedDB, and a later edit of the form must not change it.
 */
export function newSubmission<B>(path: string, body: B): Submission<B> {
	return { key: newKey(), path, body: JSON.parse(JSON.stringify(body)) as B, madeAt: Date.now() };
}

/** Posts a submission as JSON with its Idempotency-Key; never throws. */
export async function send<R>(submission: Submission): Promise<Sent<R>> {
	let response: Response;
	try {
		response = await fetch(submission.path, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'idempotency-key': submission.key,
				// Elapsed time on the phone's own clock, so a wrong phone clock does not matter.
				[QUEUED_HEADER]: String(Math.max(0, Date.now() - submission.madeAt))
			},
			body: JSON.stringify(submission.body)
		});
	} catch (cause) {
		return { ok: false, status: 0, offline: true, message: String(cause) };
	}
	const body = await response.json().catch(() => null);
	if (response.ok)
		return {
			ok: true,
			status: response.status,
			body: body as R,
			replayed: response.headers.get('idempotent-replayed') === 'true'
		};
	if (response.status >= 500 || body === null)
		return { ok: false, status: 0, offline: true, message: `HTTP ${response.status}` };
	if ([401, 403, 408, 429].includes(response.status))
		return {
			ok: false,
			status: response.status,
			retry: true,
			message: String(body.message ?? response.statusText)
		};
	return {
		ok: false,
		status: response.status,
		message: String(body.message ?? response.statusText),
		field: body.field,
		code: body.code
	};
}
