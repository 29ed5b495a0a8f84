import { captureWrite } from '$lib/features/capture/server/write.server';
import {
	HealthCheckBody,
	recordHealthCheck
} from '$lib/features/capture/server/observations.server';
import type { HealthCheckRecorded } from '$lib/features/capture/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/observations/checks {householdId, checks: [{personId, temperature, symptoms?}]} → 201
 * HealthCheckRecorded. The twice-daily health check of members under observation, dated when it was
 * made; it completes the day's health visit. Idempotency-Key as every phone write. Audited.
 */
export const POST: RequestHandler = async (event) => {
	return captureWrite(
		event,
		HealthCheckBody,
		'POST /api/observations/checks',
		201,
		async (tx, { scope, body, at, actor, context }) =>
			(await recordHealthCheck(tx, scope, body, at, actor, context)) satisfies HealthCheckRecorded
	);
};
