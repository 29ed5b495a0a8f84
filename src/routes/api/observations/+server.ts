import { captureWrite } from '$lib/features/capture/server/write.server';
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
	return captureWrite(
		event,
		ObservationStartBody,
		'POST /api/observations',
		201,
		async (tx, { scope, body, at, actor, context }) =>
			(await startObservation(tx, scope, body, at, actor, context)) satisfies ObservationStarted
	);
};
