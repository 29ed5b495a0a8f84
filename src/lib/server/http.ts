/**
 * Reading what a request sends, for every route: one body reader and one error shape. A body that is
 * not what the route takes is a 400 whose message names the field and says what is wrong, in the
 * request's language; the JSON of the error is `{message, code}` (src/app.d.ts App.Error).
 */
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Words } from '../core/i18n';
import { say } from './say';

/**
 * A 400 naming the field and what is wrong with it: `字段 x 无效：…` / `Invalid field x: …`.
 * `reason` is already said in the request's language (`say().gaps_…()`).
 * (Transitional: `badField(field, zh, en)`, two inline strings, stays until its last caller is converted.)
 */
export function badField(field: string, reason: string): never;
export function badField(field: string, zh: string, en: string): never;
export function badField(field: string, reason: string, en?: string): never {
	error(400, {
		message: say().core_bad_field({ field, reason: en === undefined ? reason : say(reason, en) }),
		code: 'bad_field'
	});
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
 * What is wrong with a field, for a valibot schema or action's message: said in the request's
 * language when the check fails, `because((w) => w.gaps_note_too_long())`.
 * (Transitional: `because(zh, en)`, two inline strings, stays until its last caller is converted.)
 */
export function because(reason: (w: Words) => string): () => string;
export function because(zh: string, en: string): () => string;
export function because(reason: string | ((w: Words) => string), en?: string): () => string {
	return typeof reason === 'function' ? () => reason(say()) : () => say(reason, en ?? reason);
}

/**
 * Checks fields against a valibot schema (whose every message comes from `because`); the first
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

/** One of the listed values (what is wrong said as in `because`). */
export function oneOf<const T extends readonly string[]>(
	values: T,
	reason: (w: Words) => string
): v.PicklistSchema<T, () => string>;
export function oneOf<const T extends readonly string[]>(
	values: T,
	zh: string,
	en: string
): v.PicklistSchema<T, () => string>;
export function oneOf<const T extends readonly string[]>(
	values: T,
	reason: string | ((w: Words) => string),
	en?: string
): v.PicklistSchema<T, () => string> {
	return v.picklist(
		values,
		typeof reason === 'function' ? because(reason) : because(reason, en ?? reason)
	);
}
