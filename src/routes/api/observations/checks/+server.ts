import { writeOnce } from '$lib/server/idempotency';
import { prepareWrite } from '$lib/features/capture/server/write.server';
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
	const { db, scope, body, userId, at, actor, context } = await prepareWrite(
		event,
		HealthCheckBody
	);
	return writeOnce(
		db,
		scope,
		{ request: event.request, userId, route: 'POST /api/observations/checks', input: body },
		async (tx) => ({
			status: 201,
			body: (await recordHealthCheck(
				tx,
				scope,
				body,
				at,
				actor,
				context
			)) satisfies HealthCheckRecorded
		})
	);
};
