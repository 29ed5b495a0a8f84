import { describe, expect, it } from 'vitest';
import {
	createSession,
	revokeSession,
	validateSession
} from '../../src/lib/features/auth/server/sessions.server';
import { createUser, scopeOf } from '../../src/lib/features/auth/server/users.server';
import { inRolledBackTransaction } from './database';

const policy = { idleMinutes: 30, absoluteHours: 12 };

describe('sessions', () => {
	it('expire after 30 idle minutes, after 12 hours in all, on revocation, and when the user is disabled', async () => {
		const outcome = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			const userId = await createUser(tx, {
				subdistrictId,
				username: 'session-test',
				displayName: '测试',
				role: 'grid_leader',
				password: 'a long enough password',
				areaCodes: ['0502']
			});
			const fresh = await createSession(tx, userId, policy, '127.0.0.1');
			const valid = await validateSession(tx, fresh, policy);

			const idle = await createSession(tx, userId, policy, '127.0.0.1');
			await tx.query(
				`UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1 AND id_hash <> encode(sha256(convert_to($2, 'UTF8')), 'hex')`,
				[userId, fresh]
			);
			const afterIdle = await validateSession(tx, idle, policy);

			const old = await createSession(tx, userId, policy, '127.0.0.1');
			await tx.query(
				`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE id_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
				[old]
			);
			const afterAbsolute = await validateSession(tx, old, policy);

			const stillFresh = await validateSession(tx, fresh, policy);
			await revokeSession(tx, fresh);
			const afterRevoke = await validateSession(tx, fresh, policy);

			const another = await createSession(tx, userId, policy, '127.0.0.1');
			await tx.query('UPDATE app_user SET disabled = true WHERE id = $1', [userId]);
			const afterDisable = await validateSession(tx, another, policy);
			const scope = valid ? await scopeOf(tx, valid) : null;
			return { valid, afterIdle, afterAbsolute, stillFresh, afterRevoke, afterDisable, scope };
		});
		expect(outcome.valid).toMatchObject({ username: 'session-test', role: 'grid_leader' });
		expect(outcome.afterIdle).toBeNull();
		expect(outcome.afterAbsolute).toBeNull();
		expect(outcome.stillFresh).not.toBeNull();
		expect(outcome.afterRevoke).toBeNull();
		expect(outcome.afterDisable).toBeNull();
		expect(outcome.scope).toMatchObject({ personScope: 'grids' });
		expect(outcome.scope!.gridIds).toHaveLength(1);
	});

	it('gives a community lead every grid of the community, and an unscoped lead nothing', async () => {
		const scopes = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			const lead = await createUser(tx, {
				subdistrictId,
				username: 'lead-test',
				displayName: '测试',
				role: 'community_lead',
				password: 'a long enough password',
				areaCodes: ['330114002002']
			});
			const unscoped = await createUser(tx, {
				subdistrictId,
				username: 'lead-none',
				displayName: '测试',
				role: 'community_lead',
				password: 'a long enough password',
				areaCodes: []
			});
			const [{ n }] = await tx.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM grid g JOIN community c ON c.id = g.community_id WHERE c.code = '330114002002'`
			);
			const user = (id: number, username: string) => ({
				id,
				subdistrictId,
				username,
				displayName: '测试',
				role: 'community_lead' as const
			});
			return {
				grids: n,
				lead: await scopeOf(tx, user(lead, 'lead-test')),
				none: await scopeOf(tx, user(unscoped, 'lead-none'))
			};
		});
		expect(scopes.lead.gridIds).toHaveLength(scopes.grids);
		expect(scopes.none).toMatchObject({ personScope: 'none', gridIds: [] });
	});

	it('rejects unknown area codes when scoping a user', async () => {
		await expect(
			inRolledBackTransaction(async (tx) => {
				const [{ id: subdistrictId }] = await tx.query<{ id: number }>(
					'SELECT id FROM subdistrict'
				);
				await createUser(tx, {
					subdistrictId,
					username: 'bad-scope',
					displayName: '测试',
					role: 'grid_leader',
					password: 'a long enough password',
					areaCodes: ['9999']
				});
			})
		).rejects.toThrow(/未知的网格编码：9999/);
	});
});
