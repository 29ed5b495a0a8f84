import { error } from '@sveltejs/kit';
import { writeOnce } from '$lib/server/idempotency';
import { prepareWrite } from '$lib/features/capture/server/write.server';
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
	const { db, scope, body, userId, at, actor, context } = await prepareWrite(
		event,
		ServiceOutcomeBody
	);
	return writeOnce(
		db,
		scope,
		{ request: event.request, userId, route: `POST /api/service-tasks/${id}`, input: body },
		async (tx) => ({
			status: 200,
			body: (await closeTask(tx, scope, id, body, at, actor, context)) satisfies ServiceTaskItem
		})
	);
};
