import { error } from '@sveltejs/kit';
import { captureWrite } from '$lib/features/capture/server/write.server';
import { closeTask, ServiceOutcomeBody } from '$lib/features/capture/server/services.server';
import type { ServiceTaskItem } from '$lib/features/capture/contract';
import { say } from '$lib/server/say';
import type { RequestHandler } from './$types';

/**
 * POST /api/service-tasks/ID {outcome: done|missed, reason?} → 200 ServiceTaskItem. Marks a health
 * visit, garbage collection or delivery done, or missed with its reason. Idempotency-Key as every
 * phone write. Audited.
 */
export const POST: RequestHandler = async (event) => {
	const id = /^\d{1,9}$/.test(event.params.id) ? Number(event.params.id) : 0;
	if (id < 1)
		error(404, {
			message: say().capture_task_not_found({ id: event.params.id }),
			code: 'not_found'
		});
	return captureWrite(
		event,
		ServiceOutcomeBody,
		`POST /api/service-tasks/${id}`,
		200,
		async (tx, { scope, body, at, actor, context }) =>
			(await closeTask(tx, scope, id, body, at, actor, context)) satisfies ServiceTaskItem
	);
};
