import { randomBytes } from 'node:crypto';
import type { Db } from '../../../server/db/types';
import type { Role } from '../model/roles';
import { createUser } from './users.server';

/**
 * Demo mode: one user per role, each with a random password nobody knows (no default passwords
 * anywhere); the sign-in page signs in as them with one click, under a "demo data" banner.
 */
export const DEMO_USERS: {
	username: string;
	displayName: string;
	role: Role;
	areaCodes: string[];
}[] = [
	{ username: 'demo-leader', displayName: '街道领导（演示）', role: 'leader', areaCodes: [] },
	{
		username: 'demo-community',
		displayName: '大北社区负责人（演示）',
		role: 'community_lead',
		areaCodes: ['330114002002']
	},
	{
		username: 'demo-grid',
		displayName: '邻里第2网格网格长（演示）',
		role: 'grid_leader',
		areaCodes: ['0502']
	},
	{
		username: 'demo-grid-other',
		displayName: '东湾第3网格网格长（演示）',
		role: 'grid_leader',
		areaCodes: ['1203']
	},
	{
		username: 'demo-data',
		displayName: '数据管理中心（演示）',
		role: 'data_officer',
		areaCodes: []
	},
	{ username: 'demo-planner', displayName: '指挥部调度（演示）', role: 'planner', areaCodes: [] },
	{ username: 'demo-admin', displayName: '系统管理员（演示）', role: 'admin', areaCodes: [] }
];

export async function ensureDemoUsers(db: Db): Promise<void> {
	const [subdistrict] = await db.query<{ id: number }>(
		`SELECT id FROM subdistrict WHERE code = '330114002'`
	);
	if (!subdistrict) return;
	await db.transaction(async (tx) => {
		for (const user of DEMO_USERS) {
			const [existing] = await tx.query('SELECT 1 AS x FROM app_user WHERE username = $1', [
				user.username
			]);
			if (existing) continue;
			await createUser(tx, {
				...user,
				subdistrictId: subdistrict.id,
				password: randomBytes(24).toString('base64url')
			});
		}
	});
}
