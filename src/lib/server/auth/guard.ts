import type { Role } from '../../domain/roles';

/** Who may call a route: the authorisation matrix in one place. New routes must be listed here. */
export type Access = 'public' | 'signed_in' | 'persons' | 'admin';

const RULES: { pattern: RegExp; access: Access }[] = [
	{ pattern: /^\/signin\/?$/, access: 'public' },
	{ pattern: /^\/favicon\.svg$/, access: 'public' },
	{ pattern: /^\/docs\//, access: 'public' },
	{ pattern: /^\/_app\//, access: 'public' },
	{ pattern: /^\/signout\/?$/, access: 'signed_in' },
	{ pattern: /^\/$/, access: 'signed_in' },
	{ pattern: /^\/api\/areas\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/summary\/?$/, access: 'signed_in' },
	{ pattern: /^\/api\/persons\/?$/, access: 'persons' },
	{ pattern: /^\/admin(\/.*)?$/, access: 'admin' }
];

/** Unlisted routes are denied to everyone but administrators (safe default). */
export function accessFor(pathname: string): Access {
	return RULES.find((rule) => rule.pattern.test(pathname))?.access ?? 'admin';
}

export function allowed(access: Access, role: Role | null): boolean {
	if (access === 'public') return true;
	if (role === null) return false;
	if (access === 'signed_in') return true;
	if (access === 'persons') return role === 'community_lead' || role === 'grid_leader' || role === 'data_officer';
	return role === 'admin';
}
