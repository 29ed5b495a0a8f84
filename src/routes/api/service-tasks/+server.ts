import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { gridForPersonLevel } from '$lib/server/queries/places';
import { gridTasks } from '$lib/features/capture/server/services.server';
import type { ServiceTaskList } from '$lib/features/capture/contract';
import type { RequestHandler } from './$types';

/**
 * GET /api/service-tasks?grid=CODE → the grid's service tasks due today and those still open from
 * the two days before. Person-level roles, their own grids only.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const grid = await gridForPersonLevel(db, scope, url.searchParams.get('grid') ?? '');
	const clock = await now(db);
	const tasks = await withScope(db, scope, (tx) => gridTasks(tx, grid.id, clock));
	return json({ grid: grid.code, day: beijingDay(clock), tasks } satisfies ServiceTaskList);
};
