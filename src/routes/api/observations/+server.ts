import { writeOnce } from '$lib/server/idempotency';
import { prepareWrite } from '$lib/features/capture/server/write.server';
import {
	ObservationStartBody,
	startObservation
} from '$lib/features/capture/server/observations.server';
import type { ObservationStarted } from '$lib/features/capture/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/observations {householdId, personIds, days?, startDate?, reason} → 201 ObservationStarted.
 * Starts a household's home observation (14 days unless said) for its registered members chosen.
 * Idempotency-Key as every phone write. Audited.
 */
export const POST: RequestHandler = async (event) => {
	const { db, scope, body, userId, at, actor, context } = await prepareWrite(
		event,
		ObservationStartBody
	);
	return writeOnce(
		db,
		scope,
		{ request: event.request, userId, route: 'POST /api/observations', input: body },
		async (tx) => ({
			status: 201,
			body: (await startObservation(
				tx,
				scope,
				body,
				at,
				actor,
				context
			)) satisfies ObservationStarted
		})
	);
};
