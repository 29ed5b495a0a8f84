import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { ensureGapsFresh, listGaps, rollUp } from '$lib/features/gaps/server/gaps.server';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

function bad(name: string, reason: string): never {
	error(400, { message: say().core_bad_parameter({ name, reason }), code: 'bad_parameter' });
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
		bad('grid', say().core_param_grid({ got: grid.slice(0, 20) }));
	if (community !== null && !/^\d{12}$/.test(community))
		bad('community', say().gaps_expected_community_code({ got: community.slice(0, 20) }));
	if (state !== 'open' && state !== 'live' && state !== 'closed')
		bad('state', say().gaps_expected_state({ got: state.slice(0, 20) }));
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
