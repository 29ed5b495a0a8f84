/**
 * Reading what a request sends, for every route: one body reader and one error shape. A body that is
 * not what the route takes is a 400 whose message names the field and says what is wrong, in the
 * request's language; the JSON of the error is `{message, code}` (src/app.d.ts App.Error).
 */
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { say } from './say';

/**
 * A 400 naming the field and what is wrong with it: `字段 x 无效：…` / `Invalid field x: …`.
 * `reason` is already said in the request's language (`say().gaps_…()`).
 */
export function badField(field: string, reason: string): never {
	error(400, { message: say().core_bad_field({ field, reason }), code: 'bad_field', field });
}

/** SvelteKit's own refusal of a body (413: over the size limit): it keeps its status and reason. */
export function isKitRefusal(cause: unknown): boolean {
	return (
		typeof cause === 'object' &&
		cause !== null &&
		typeof (cause as { status?: unknown }).status === 'number'
	);
}

/** The request's JSON body, which must be an object: anything else is a 400 in words. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
	let body: unknown;
	try {
		body = await request.json();
	} catch (cause) {
		if (isKitRefusal(cause)) throw cause;
		error(400, {
			message: say().core_body_not_json(),
			code: 'bad_body'
		});
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		error(400, {
			message: say().core_body_not_object(),
			code: 'bad_body'
		});
	return body as Record<string, unknown>;
}

/**
 * Checks fields against a valibot schema (each of whose messages is a function saying it in the request's language, `() => say().x()`); the first
 * problem, in the schema's field order, is a 400 naming its field (`pool.0.people` for nested ones).
 */
export function checkFields<S extends v.GenericSchema>(
	schema: S,
	input: unknown
): v.InferOutput<S> {
	const result = v.safeParse(schema, input, { abortEarly: true });
	if (result.success) return result.output;
	const issue = result.issues[0];
	const field = v.getDotPath(issue) ?? '';
	if (!field) error(400, { message: issue.message, code: 'bad_body' });
	badField(field, issue.message);
}

/** Reads the JSON body and checks it against `schema` (see checkFields). */
export async function readBody<S extends v.GenericSchema>(
	request: Request,
	schema: S
): Promise<v.InferOutput<S>> {
	return checkFields(schema, await readJsonObject(request));
}

const MAX_ID = 2_147_483_647;

/** A row id in a body: a whole number from 1 to what an int column holds. */
export const idField = (reason: () => string) =>
	v.pipe(v.number(reason), v.integer(reason), v.minValue(1, reason), v.maxValue(MAX_ID, reason));

/** The header a phone's outbox sends: how long (ms, on the phone's own clock) the request waited. */
export const QUEUED_HEADER = 'x-queued-ms';
const MAX_QUEUED_MS = 7 * 24 * 3_600_000;

/**
 * When the request was made: the server's clock less how long it waited in the phone's outbox (at
 * most seven days; a missing or malformed header is no wait). Elapsed time, not the phone's clock,
 * so a phone with a wrong clock still dates its work right.
 */
export function madeAt(request: Request, clock: number): number {
	const waited = Number(request.headers.get(QUEUED_HEADER));
	if (!Number.isFinite(waited) || waited <= 0) return clock;
	return clock - Math.min(Math.trunc(waited), MAX_QUEUED_MS);
}

/** Text a person typed has no control characters but tab and line breaks (a NUL cannot be stored). */
export function isPlainText(text: string): boolean {
	for (const c of text) {
		const n = c.codePointAt(0)!;
		if ((n < 32 && n !== 9 && n !== 10 && n !== 13) || n === 127) return false;
	}
	return true;
}
