import type { Role } from '../model/roles';

/** Who may call a route: the authorisation matrix in one place. New routes must be listed here. */
export type Access =
	'public' | 'aggregates' | 'signed_in' | 'persons' | 'planning' | 'intake' | 'admin';

const RULES: { pattern: RegExp; access: Access }[] = [
	{ pattern: /^\/signin\/?$/, access: 'public' },
	{ pattern: /^\/(healthz|readyz)$/, access: 'public' },
	{ pattern: /^\/favicon\.svg$/, access: 'public' },
	// The offline copy of the workspace (src/service-worker.ts): code only, no data.
	{ pattern: /^\/service-worker\.js$/, access: 'public' },
	{ pattern: /^\/docs\//, access: 'public' },
	{ pattern: /^\/_app\//, access: 'public' },
	{ pattern: /^\/signout\/?$/, access: 'signed_in' },
	{ pattern: /^\/$/, access: 'aggregates' },
	{ pattern: /^\/api\/areas\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/summary\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/layers\/[a-z]+\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/grid-detail\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/places\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/export\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/persons\/?$/, access: 'persons' },
	{ pattern: /^\/api\/screenings\/?$/, access: 'persons' },
	{ pattern: /^\/api\/returnees\/?$/, access: 'persons' },
	{ pattern: /^\/api\/addresses\/?$/, access: 'persons' },
	{ pattern: /^\/api\/daily-reports\/?$/, access: 'persons' },
	{ pattern: /^\/api\/households\/[^/]+\/?$/, access: 'persons' },
	{ pattern: /^\/api\/observations(\/checks|\/end)?\/?$/, access: 'persons' },
	{ pattern: /^\/api\/service-tasks(\/[^/]+)?\/?$/, access: 'persons' },
	{ pattern: /^\/api\/events\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/trend\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/trend\/shift\/?$/, access: 'aggregates' },
	{ pattern: /^\/wall\/?$/, access: 'aggregates' },
	{ pattern: /^\/api\/gaps\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/gaps\/[^/]+\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/gaps\/[^/]+\/records\/?$/, access: 'persons' },
	{ pattern: /^\/api\/staff\/?$/, access: 'persons' },
	{ pattern: /^\/api\/shifts\/[^/]+\/?$/, access: 'persons' },
	{ pattern: /^\/grid\/[^/]+\/?$/, access: 'signed_in' },
	{ pattern: /^\/gaps\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/plan(\/.*)?$/, access: 'planning' },
	{ pattern: /^\/plan\/?$/, access: 'planning' },
	{ pattern: /^\/community\/[^/]+\/?$/, access: 'signed_in' },
	{ pattern: /^\/report(\.pdf)?\/?$/, access: 'signed_in' },
	{ pattern: /^\/import(\/duplicates)?\/?$/, access: 'intake' },
	{ pattern: /^\/api\/duplicates(\/apart|\/merges(\/[^/]+)?)?\/?$/, access: 'intake' },
	{ pattern: /^\/api\/imports(\/[^/]+(\/commit|\/report)?)?\/?$/, access: 'intake' },
	{ pattern: /^\/admin(\/.*)?$/, access: 'admin' }
];

/** Unlisted routes are denied to everyone but administrators (safe default). */
export function accessFor(pathname: string): Access {
	return RULES.find((rule) => rule.pattern.test(pathname))?.access ?? 'admin';
}

/** `wall`: the request carries a valid wall-screen token (aggregates only, no user). */
export function allowed(access: Access, role: Role | null, wall = false): boolean {
	if (access === 'public') return true;
	if (access === 'aggregates' && wall) return true;
	if (role === null) return false;
	if (access === 'aggregates') return true;
	if (access === 'signed_in') return true;
	if (access === 'persons')
		return role === 'community_lead' || role === 'grid_leader' || role === 'data_officer';
	if (access === 'planning') return role === 'planner' || role === 'leader' || role === 'admin';
	if (access === 'intake') return role === 'data_officer' || role === 'admin';
	return role === 'admin';
}
