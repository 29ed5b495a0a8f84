import { json } from '@sveltejs/kit';
import { getConfig, getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { checkReadiness } from '$lib/server/health';
import type { RequestHandler } from './$types';

/**
 * GET /readyz → {status, streams: {open, listening}, checks: {database, migrations, rollup}}: 200 when all are ok, 503 when
 * one fails (each failed check says what is wrong). No session needed; it shows no records.
 */
export const GET: RequestHandler = async () => {
	const db = await getDb();
	const readiness = await checkReadiness(db, () => now(db), getConfig().staleMinutes);
	return json(readiness, {
		status: readiness.status === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
