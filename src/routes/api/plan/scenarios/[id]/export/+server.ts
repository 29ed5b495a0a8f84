import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getScenario } from '$lib/features/planner/server/scenarios.server';
import type { ExportFormat } from '$lib/features/planner/contract';
import {
	loadPlaceNames,
	scenarioCsv,
	scenarioXlsx
} from '$lib/features/planner/server/export.server';
import { scenarioId } from '$lib/features/planner/server/route.server';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/** GET /api/plan/scenarios/ID/export?format=xlsx|csv → the dispatch (CSV), or summary, dispatch, grids and needs (XLSX), places named in words. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const id = scenarioId(params.id);
	const format = url.searchParams.get('format') ?? 'xlsx';
	if (format !== 'xlsx' && format !== 'csv')
		error(400, {
			message: say().planner_bad_format({ got: format.slice(0, 20) }),
			code: 'bad_parameter'
		});
	const scope = requireScope(locals);
	const lang = locals.lang;
	const found = await withScope(await getDb(), scope, async (tx) => {
		const scenario = await getScenario(tx, id);
		return scenario
			? { scenario, names: await loadPlaceNames(tx, scope.subdistrictId, lang) }
			: null;
	});
	if (!found) error(404, { message: say().planner_no_scenario({ id }), code: 'not_found' });
	const { scenario, names } = found;
	const file = `gridwatch-plan-${id}.${format satisfies ExportFormat}`;
	const headers = {
		'content-disposition': `attachment; filename="${file}"`,
		'cache-control': 'no-store'
	};
	if (format === 'csv')
		return new Response(scenarioCsv(scenario, lang, names), {
			headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }
		});
	return new Response(await scenarioXlsx(scenario, lang, names), {
		headers: {
			...headers,
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		}
	});
};
