import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';

/** Opens and migrates the database before the server takes its first request; fails fast. */
export const init: ServerInit = async () => {
	await getDb();
};

export const handle: Handle = async ({ event, resolve }) => {
	const lang = event.url.searchParams.get('lang') === 'en' || event.cookies.get('lang') === 'en' ? 'en' : 'zh-CN';
	event.locals.lang = lang;
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: 'Not found', code: 'not_found' };
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[${id}] ${event.request.method} ${event.url.pathname}:`, error);
	return { message: `内部错误，请报告编号 ${id} / Internal error, quote id ${id}`, code: 'internal', id };
};
