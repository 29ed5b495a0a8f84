import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { ensureGapsFresh, listGaps, rollUp } from '$lib/server/gaps';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

function bad(name: string, zh: string, en: string): never {
	error(400, {
		message: say(`参数 ${name} 无效：${zh}`, `Invalid parameter ${name}: ${en}`),
		code: 'bad_parameter'
	});
}

/**
 * GET /api/gaps?grid=CODE|community=CODE&state=open|live|closed → the gap items in the caller's
 * scope (a grid leader: their grids' only), worded in the caller's language, with roll-up counts.
 * The rules run first when they are not current.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const scope = requireScope(locals);
	const grid = url.searchParams.get('grid');
	const community = url.searchParams.get('community');
	const state = url.searchParams.get('state') ?? 'open';
	if (grid !== null && !/^\d{4}$/.test(grid))
		bad(
			'grid',
			`应为四位网格编码，收到 "${grid.slice(0, 20)}"`,
			`expected a 4-digit grid code, got "${grid.slice(0, 20)}"`
		);
	if (community !== null && !/^\d{12}$/.test(community))
		bad(
			'community',
			`应为 12 位社区编码，收到 "${community.slice(0, 20)}"`,
			`expected a 12-digit community code, got "${community.slice(0, 20)}"`
		);
	if (state !== 'open' && state !== 'live' && state !== 'closed')
		bad(
			'state',
			`应为 open、live 或 closed，收到 "${state.slice(0, 20)}"`,
			`expected open, live or closed, got "${state.slice(0, 20)}"`
		);
	const db = await getDb();
	const clock = await now(db);
	await ensureGapsFresh(db, scope.subdistrictId, clock);
	const items = await withScope(db, scope, (tx) =>
		listGaps(
			tx,
			{
				gridCode: grid,
				communityCode: community,
				state,
				limit: state === 'closed' ? 500 : 2000,
				subjects: scope.personScope !== 'none'
			},
			locals.lang,
			clock
		)
	);
	return json({ asOf: new Date(clock).toISOString(), state, items, rollup: rollUp(items) });
};
