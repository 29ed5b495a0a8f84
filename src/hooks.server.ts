import { json, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { getConfig, getDb } from '$lib/server/db';
import { validateSession } from '$lib/server/auth/sessions';
import { scopeOf } from '$lib/server/auth/users';
import { accessFor, allowed } from '$lib/server/auth/guard';
import { sessionCookieName } from '$lib/server/auth/cookies';
import { validateWallToken } from '$lib/server/auth/wall';

/** Opens and migrates the database before the server takes its first request; fails fast. */
export const init: ServerInit = async () => {
	await getDb();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handle: Handle = async ({ event, resolve }) => {
	const lang = event.url.searchParams.get('lang') === 'en' || (event.url.searchParams.get('lang') !== 'zh' && event.cookies.get('lang') === 'en') ? 'en' : 'zh-CN';
	event.locals.lang = lang;
	event.locals.user = null;
	event.locals.scope = null;
	event.locals.wall = null;

	// State-changing requests must come from our own pages, JSON as well as forms (SvelteKit checks forms only).
	if (!SAFE_METHODS.has(event.request.method)) {
		const origin = event.request.headers.get('origin');
		if (origin !== event.url.origin) {
			return json({ message: '跨站请求被拒绝 / Cross-site request refused', code: 'bad_origin' }, { status: 403 });
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
				event.locals.scope = { subdistrictId: wall.subdistrictId, personScope: 'none', gridIds: [] };
				if (fromLink) {
					event.cookies.set('gw_wall', wallToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', maxAge: 400 * 86400 });
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
			if (api) return json({ message: '请先登录 / Sign in first', code: 'unauthenticated' }, { status: 401 });
			redirect(303, `/signin?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		if (api) return json({ message: '无权访问 / Not allowed for your role', code: 'forbidden' }, { status: 403 });
		return new Response(
			`<!doctype html><meta charset="utf-8"><title>403</title><p>无权访问此页面 / Not allowed for your role. <a href="/">返回地图 / Back to the map</a></p>`,
			{ status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } }
		);
	}

	const response = await resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handleError: HandleServerError = ({ error: cause, event, status }) => {
	if (status === 404) return { message: '没有这个页面或操作 / Not found', code: 'not_found' };
	// SvelteKit's own refusals of a request (405 method, 415 a form action sent something other than
	// a form, …) are the sender's doing: said in words, not reported as an internal error.
	if (status >= 400 && status < 500) {
		const zh: Record<number, string> = { 405: '不支持此请求方法', 413: '请求内容过大', 415: '请求内容类型不受支持（表单应为 application/x-www-form-urlencoded 或 multipart/form-data）' };
		const en = cause instanceof Error ? cause.message.slice(0, 200) : 'Bad request';
		return { message: `${zh[status] ?? '请求无效'} / ${en}`, code: 'bad_request' };
	}
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[${id}] ${event.request.method} ${event.url.pathname}:`, cause);
	return { message: `内部错误，请报告编号 ${id} / Internal error, quote id ${id}`, code: 'internal', id };
};
