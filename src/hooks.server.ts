import {
	json,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { words, type Lang } from '$lib/core/i18n';
import { getConfig, getDb } from '$lib/server/db';
import { validateSession } from '$lib/features/auth/server/sessions.server';
import { scopeOf } from '$lib/features/auth/server/users.server';
import { accessFor, allowed } from '$lib/features/auth/server/guard.server';
import { sessionCookieName } from '$lib/features/auth/server/cookies.server';
import { validateWallToken } from '$lib/features/auth/server/wall.server';
import { say, speaking } from '$lib/server/say';
import { errorFields, logLine } from '$lib/server/log';

/** Opens and migrates the database before the server takes its first request; fails fast. */
export const init: ServerInit = async () => {
	await getDb();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The user's language: `?lang=zh|en` chooses it and is kept in a cookie for a year, so the choice
 * survives sign-in and every later page; otherwise the cookie; otherwise Chinese.
 */
function chooseLanguage(event: RequestEvent): Lang {
	const asked = event.url.searchParams.get('lang');
	if (asked === 'en' || asked === 'zh') {
		if (event.cookies.get('lang') !== asked)
			event.cookies.set('lang', asked, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				secure: event.url.protocol === 'https:',
				maxAge: 365 * 86400
			});
		return asked === 'en' ? 'en' : 'zh-CN';
	}
	return event.cookies.get('lang') === 'en' ? 'en' : 'zh-CN';
}

/** Probes for a load balancer or systemd: answered without a session, logged only at LOG_LEVEL=debug. */
const PROBES = new Set(['/healthz', '/readyz']);

/** A request id from the proxy in front (nginx's $request_id) when it is a plain token; else our own. */
function requestIdOf(request: Request): string {
	const given = request.headers.get('x-request-id');
	return given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : crypto.randomUUID();
}

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	event.locals.requestId = requestIdOf(event.request);
	event.locals.user = null;
	event.locals.wall = null;
	const lang = chooseLanguage(event);
	event.locals.lang = lang;
	const probe = PROBES.has(event.url.pathname);
	let status = 500;
	try {
		// Every message made while answering is said in this language only.
		let response = await speaking(lang, async () => {
			try {
				return await (probe ? resolve(event) : answer(event, resolve));
			} catch (cause) {
				// The hook's own first query (the session, the wall link) found no database: a 503, as handleError gives routes.
				if (!databaseUnreachable(cause)) throw cause;
				event.locals.databaseDown = true;
				return json(
					{
						message: say().core_database_unreachable(),
						code: 'unavailable'
					},
					{ status: 500 }
				);
			}
		});
		// The database could not be reached (restarting, connections cut): a 503 to retry, not a 500 (handleError marked it).
		if (response.status === 500 && event.locals.databaseDown) {
			const headers = new Headers(response.headers);
			headers.set('retry-after', '5');
			response = new Response(response.body, { status: 503, headers });
		}
		status = response.status;
		response.headers.set('x-request-id', event.locals.requestId);
		// On every answer, the hook's own refusals included: pages have SvelteKit's policy (svelte.config.js), the
		// hook's 403 page its own; other JSON and files get one that allows nothing to load or frame them. HTML made
		// by a route (the daily report, with its inline styles) and a PDF are left as they are.
		if (
			!response.headers.has('content-security-policy') &&
			!/^(application\/pdf|text\/html)/.test(response.headers.get('content-type') ?? '')
		) {
			response.headers.set(
				'Content-Security-Policy',
				"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
			);
		}
		response.headers.set('X-Frame-Options', 'DENY');

		return response;
	} finally {
		// One line per request: ids, the route's pattern (never the path's values or the query), status, time.
		const { user, wall } = event.locals as App.Locals; // as set while answering
		logLine(probe ? 'debug' : 'info', 'request', {
			reqId: event.locals.requestId,
			method: event.request.method,
			route: event.route.id,
			status,
			ms: Math.round((performance.now() - started) * 10) / 10,
			userId: user?.id ?? null,
			role: user?.role ?? (wall ? 'wall' : null)
		});
	}
};

/** The largest body a route other than /api/imports reads (adapter-node's default). */
const OTHER_BODY_LIMIT = 512 * 1024;

async function answer(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	const lang = event.locals.lang;
	event.locals.user = null;
	event.locals.scope = null;
	event.locals.wall = null;

	// Bodies: BODY_SIZE_LIMIT (33M) lets an import's file through; every other route keeps adapter-node's
	// own 512 KB, told by the declared length before anything is read.
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > OTHER_BODY_LIMIT && !event.url.pathname.startsWith('/api/imports')) {
		// Read and drop what was sent (chunk by chunk, within BODY_SIZE_LIMIT): answering before the body
		// is consumed leaves the connection unusable for the client's next request on it.
		const reader = event.request.body?.getReader();
		while (reader && !(await reader.read().catch(() => ({ done: true }))).done);
		return json(
			{ message: say().core_body_too_large(), code: 'too_large' },
			{ status: 413, headers: { connection: 'close' } }
		);
	}

	// State-changing requests must come from our own pages, JSON as well as forms (SvelteKit checks forms only).
	if (!SAFE_METHODS.has(event.request.method)) {
		const origin = event.request.headers.get('origin');
		if (origin !== event.url.origin) {
			return json(
				{ message: say().core_cross_site_refused(), code: 'bad_origin' },
				{ status: 403 }
			);
		}
	}

	const db = await getDb();
	const config = getConfig();
	const token = event.cookies.get(sessionCookieName(event.url));
	if (token) {
		const user = await validateSession(db, token, config.session);
		if (user) {
			event.locals.user = user;
			event.locals.scope = await scopeOf(db, user);
		} else {
			event.cookies.delete(sessionCookieName(event.url), { path: '/' });
		}
	}

	// A wall screen: a revocable token, given once in the link (?wall_token=…) and then kept in a cookie.
	if (!event.locals.user) {
		const fromLink = event.url.searchParams.get('wall_token');
		const wallToken = fromLink ?? event.cookies.get('gw_wall');
		if (wallToken) {
			const wall = await validateWallToken(db, wallToken);
			if (wall) {
				event.locals.wall = wall;
				event.locals.scope = {
					subdistrictId: wall.subdistrictId,
					personScope: 'none',
					gridIds: []
				};
				if (fromLink) {
					event.cookies.set('gw_wall', wallToken, {
						path: '/',
						httpOnly: true,
						sameSite: 'lax',
						secure: event.url.protocol === 'https:',
						maxAge: 400 * 86400
					});
				}
			} else if (!fromLink) {
				event.cookies.delete('gw_wall', { path: '/' });
			}
		}
	}

	const access = accessFor(event.url.pathname);
	if (!allowed(access, event.locals.user?.role ?? null, event.locals.wall !== null)) {
		const api = event.url.pathname.startsWith('/api/');
		if (!event.locals.user) {
			if (api)
				return json(
					{ message: say().core_sign_in_first(), code: 'unauthenticated' },
					{ status: 401 }
				);
			// A Response, not `redirect()`: SvelteKit calls `handle` outside its redirect handling when it
			// cannot decode the path (`/%FF`), and a thrown redirect there is an unhandled rejection
			// that stops the process.
			return new Response(null, {
				status: 303,
				headers: {
					location: `/signin?next=${encodeURIComponent(event.url.pathname + event.url.search)}`
				}
			});
		}
		if (api) return json({ message: say().core_forbidden(), code: 'forbidden' }, { status: 403 });
		return new Response(
			`<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>403</title><p>${say().core_forbidden_page()} <a href="/">${say().core_back_to_map()}</a></p>`,
			{
				status: 403,
				headers: {
					'content-type': 'text/html; charset=utf-8',
					'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
					'x-frame-options': 'DENY'
				}
			}
		);
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', lang)
	});
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
}

/** Connection failures of either driver (node's socket codes, postgres.js's, SQLSTATE classes 08 and 57P0x). */
const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'57P01',
	'57P02',
	'57P03'
]);
function databaseUnreachable(cause: unknown): boolean {
	const code = (cause as { code?: unknown } | null)?.code;
	return typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08'));
}

export const handleError: HandleServerError = ({ error: cause, event, status }) => {
	// The request's own language: an error thrown in `handle` itself reaches here outside `speaking()`.
	const lang: Lang = event.locals.lang === 'en' ? 'en' : 'zh-CN';
	const w = words(lang);
	if (status === 404) return { message: w.core_not_found(), code: 'not_found' };
	// SvelteKit's own refusals of a request (405 method, 415 a form action sent something other than
	// a form, …) are the sender's doing: said in words, not reported as an internal error. In English,
	// SvelteKit's own message says it; in Chinese, ours.
	if (status >= 400 && status < 500) {
		const refusal: Record<number, () => string> = {
			405: w.core_method_not_allowed,
			413: w.core_body_too_large,
			415: w.core_unsupported_content_type
		};
		const message =
			lang === 'en'
				? cause instanceof Error
					? cause.message.slice(0, 200)
					: w.core_bad_request()
				: (refusal[status]?.() ?? w.core_bad_request());
		return { message, code: 'bad_request' };
	}
	if (databaseUnreachable(cause)) {
		event.locals.databaseDown = true;
		logLine('warn', 'database unreachable', {
			reqId: event.locals.requestId,
			method: event.request.method,
			route: event.route.id,
			...errorFields(cause)
		});
		return { message: w.core_database_unreachable(), code: 'unavailable' };
	}
	// The id the user is shown is the request's, so an operator finds the log lines of that request.
	const id = (event.locals.requestId ?? crypto.randomUUID()).slice(0, 8);
	logLine('error', 'unhandled error', {
		reqId: event.locals.requestId,
		method: event.request.method,
		route: event.route.id,
		status,
		...errorFields(cause)
	});
	return {
		message: w.core_internal_error({ id }),
		code: 'internal',
		id
	};
};
