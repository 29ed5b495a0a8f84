import { reportForRequest } from '$lib/features/report/server/request.server';
import type { RequestHandler } from './$types';

/** GET /report?date=&lang= → the daily situation report (日报) as a printable A4 page. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { html } = await reportForRequest(url, locals);
	return new Response(html, {
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }
	});
};
