import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

const started = Date.now();

/**
 * GET /healthz → 200 while the process answers HTTP (liveness: systemd's watchdog, a load
 * balancer). It touches nothing else: whether the database answers is /readyz's question.
 */
export const GET: RequestHandler = () =>
	json(
		{ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) },
		{ headers: { 'cache-control': 'no-store' } }
	);
