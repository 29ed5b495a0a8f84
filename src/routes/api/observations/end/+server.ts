import { writeOnce } from '$lib/server/idempotency';
import { prepareWrite } from '$lib/features/capture/server/write.server';
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
	const { db, scope, body, userId, at, actor, context } = await prepareWrite(
		event,
		ObservationEndBody
	);
	return writeOnce(
		db,
		scope,
		{ request: event.request, userId, route: 'POST /api/observations/end', input: body },
		async (tx) => ({
			status: 200,
			body: (await endObservation(tx, scope, body, at, actor, context)) satisfies ObservationEnded
		})
	);
};
