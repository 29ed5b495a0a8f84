import { captureWrite } from '$lib/features/capture/server/write.server';
import {
	endObservation,
	ObservationEndBody
} from '$lib/features/capture/server/observations.server';
import type { ObservationEnded } from '$lib/features/capture/contract';
import type { RequestHandler } from './$types';

/**
 * POST /api/observations/end {householdId, outcome: released|transferred} → 200 ObservationEnded.
 * Ends the household's observation running now. Idempotency-Key as every phone write. Audited.
 */
export const POST: RequestHandler = async (event) => {
	return captureWrite(
		event,
		ObservationEndBody,
		'POST /api/observations/end',
		200,
		async (tx, { scope, body, at, actor, context }) =>
			(await endObservation(tx, scope, body, at, actor, context)) satisfies ObservationEnded
	);
};
