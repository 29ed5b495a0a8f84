/** Telling a refused request's write from an accepted one's, for the fuzzing's "nothing written" check. */

/**
 * Which accepted requests may change each part of the writable state. A change that no accepted
 * request of a signed-in role explains was written by a refused one (or by one that should have
 * been refused): that fails. The fuzzer does, now and then, build a valid request (an
 * administrator's POST /admin/wall?/create with any label creates a link): that is not a defect.
 */
export const WRITERS: Record<string, RegExp> = {
	screening: /^\/api\/screenings/,
	shift: /^\/api\/(shifts|plan\/scenarios\/[^/]+\/apply)/,
	staff: /^\/api\/plan\/scenarios\/[^/]+\/apply/,
	plan_scenario: /^\/api\/plan/,
	app_user: /^\/admin\/users/,
	user_scope: /^\/admin\/users/,
	wall_token: /^\/admin\/wall/,
	gap_event: /^\/(api|admin)\/gaps/,
	app_setting: /^\/admin\/gaps/,
	household: /^\/api\/imports/,
	building: /^\/api\/imports/,
	import_batch: /^\/api\/imports/,
	audit_writes: /^\/(api|admin)\//
};

export interface AcceptedWrite {
	identity: string;
	method: string;
	path: string;
	status: number;
}

/** What changed, and for each change whether an accepted write of a signed-in role explains it. */
export function unexplainedChanges(
	before: Record<string, string>,
	after: Record<string, string>,
	accepted: AcceptedWrite[]
): { changed: string[]; unexplained: string[] } {
	const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
	const byRole = accepted.filter((w) => w.identity !== 'anonymous' && w.identity !== 'wall');
	const unexplained = changed.filter((k) => {
		const writer = WRITERS[k];
		return !writer || !byRole.some((w) => writer.test(w.path));
	});
	return { changed, unexplained };
}
