import { both, type Bilingual } from '../../../core/i18n';

/**
 * Roles and what each may do. Person-level access is also enforced by row-level security in
 * the database (see migrations 0003); these rules decide which routes a role may call.
 */
export const ROLES = [
	'leader',
	'community_lead',
	'grid_leader',
	'data_officer',
	'planner',
	'admin'
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, Bilingual> = {
	leader: both('auth_role_leader'),
	community_lead: both('auth_role_community_lead'),
	grid_leader: both('auth_role_grid_leader'),
	data_officer: both('auth_role_data_officer'),
	planner: both('auth_role_planner'),
	admin: both('auth_role_admin')
};

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

/** Person-level records (names, phones, households): only roles scoped to areas, within their scope. */
export function seesPersons(role: Role): boolean {
	return role === 'community_lead' || role === 'grid_leader' || role === 'data_officer';
}

/** Which areas a role's scope is made of. */
export function scopeKind(role: Role): 'grids' | 'communities' | 'subdistrict' | 'none' {
	if (role === 'grid_leader') return 'grids';
	if (role === 'community_lead') return 'communities';
	if (role === 'data_officer') return 'subdistrict';
	return 'none';
}

export function administers(role: Role): boolean {
	return role === 'admin';
}
