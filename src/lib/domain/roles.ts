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

export const ROLE_LABELS: Record<Role, { 'zh-CN': string; en: string }> = {
	leader: { 'zh-CN': '街道领导', en: 'Leadership' },
	community_lead: { 'zh-CN': '社区负责人', en: 'Community lead' },
	grid_leader: { 'zh-CN': '网格长', en: 'Grid leader' },
	data_officer: { 'zh-CN': '数据管理员', en: 'Data officer' },
	planner: { 'zh-CN': '指挥部调度', en: 'Planner' },
	admin: { 'zh-CN': '系统管理员', en: 'Administrator' }
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
