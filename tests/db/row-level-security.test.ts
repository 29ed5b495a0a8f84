import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { withScope, type AccessScope } from '../../src/lib/server/db/scope';
import { testDb } from './database';

/**
 * The app's queries run as gridwatch_app (not a superuser, not the owner) under row-level
 * security: these tests write plain SQL with no WHERE on scope and show the database filters it.
 */
describe('row-level security on person-level tables', () => {
	let db: Db;
	let subdistrictId: number;
	let ownGrid: number;
	let otherGrid: number;
	const count = async (sql: string, scope: AccessScope) =>
		withScope(db, scope, async (tx) => (await tx.query<{ n: number }>(sql))[0].n);

	beforeAll(async () => {
		db = await testDb();
		[{ id: subdistrictId }] = await db.query<{ id: number }>('SELECT id FROM subdistrict');
		[{ id: ownGrid }] = await db.query<{ id: number }>(`SELECT id FROM grid WHERE code = '0502'`);
		[{ id: otherGrid }] = await db.query<{ id: number }>(`SELECT id FROM grid WHERE code = '1203'`);
	});

	const gridLeader = () => ({ subdistrictId, personScope: 'grids' as const, gridIds: [ownGrid] });

	it('shows a grid leader the rows of their grid and none of any other, whatever the SQL asks', async () => {
		const expected = await db.query<{ persons: number; households: number; screenings: number }>(
			`SELECT (SELECT count(*)::int FROM person WHERE grid_id = $1) AS persons,
			        (SELECT count(*)::int FROM household WHERE grid_id = $1) AS households,
			        (SELECT count(*)::int FROM screening WHERE grid_id = $1) AS screenings`,
			[ownGrid]
		);
		const seen = await withScope(db, gridLeader(), async (tx) => {
			const [row] = await tx.query<{
				persons: number;
				households: number;
				screenings: number;
				otherPersons: number;
				grids: number[];
			}>(
				`SELECT (SELECT count(*)::int FROM person) AS persons,
				        (SELECT count(*)::int FROM household) AS households,
				        (SELECT count(*)::int FROM screening s JOIN person p ON p.id = s.person_id) AS screenings,
				        (SELECT count(*)::int FROM person WHERE grid_id = $1) AS "otherPersons",
				        (SELECT array_agg(DISTINCT grid_id) FROM person) AS grids`,
				[otherGrid]
			);
			return row;
		});
		expect(expected[0].persons).toBeGreaterThan(0);
		expect(seen).toEqual({ ...expected[0], otherPersons: 0, grids: [ownGrid] });
	});

	it('shows no person-level row at all without a scope, while aggregates stay readable', async () => {
		const none = { subdistrictId, personScope: 'none' as const, gridIds: [] };
		for (const table of [
			'person',
			'household',
			'screening',
			'observation',
			'service_task',
			'staff',
			'shift'
		]) {
			expect(await count(`SELECT count(*)::int AS n FROM ${table}`, none), table).toBe(0);
		}
		expect(await count('SELECT count(*)::int AS n FROM grid_day', none)).toBe(99 * 40);
	});

	it('shows a data officer every person of the subdistrict', async () => {
		const [{ n: total }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person');
		expect(
			await count('SELECT count(*)::int AS n FROM person', {
				subdistrictId,
				personScope: 'all',
				gridIds: []
			})
		).toBe(total);
		// The same scope for another subdistrict sees nothing here.
		expect(
			await count('SELECT count(*)::int AS n FROM person', {
				subdistrictId: subdistrictId + 1000,
				personScope: 'all',
				gridIds: []
			})
		).toBe(0);
	});

	it('cannot widen its own scope: a forged token finds nothing, and role, policy and scope table are out of reach', async () => {
		const forged = await withScope(db, gridLeader(), async (tx) => {
			await tx.query(`SELECT set_config('gridwatch.scope_token', 'guessed-token', true)`);
			return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
		});
		expect(forged).toBe(0);
		// Not listed: SET ROLE / RESET ROLE. PostgreSQL checks those against the session user, and
		// PGlite's only user is a superuser; on a server, run the app as a non-superuser (README).
		const attempts = [
			'ALTER TABLE person DISABLE ROW LEVEL SECURITY',
			'ALTER TABLE person NO FORCE ROW LEVEL SECURITY',
			'DROP POLICY person_scoped ON person',
			'SELECT * FROM request_scope',
			`INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES ('mine', 1, 'all')`,
			'SELECT password_hash FROM app_user'
		];
		for (const sql of attempts) {
			await expect(
				withScope(db, gridLeader(), (tx) => tx.query(sql)),
				sql
			).rejects.toThrow(/permission denied|must be owner|must be member/);
		}
	});

	it('refuses to write a row outside the scope', async () => {
		const [household] = await db.query<{ id: number }>(
			'SELECT id FROM household WHERE grid_id = $1 LIMIT 1',
			[otherGrid]
		);
		await expect(
			withScope(db, gridLeader(), (tx) =>
				tx.query(
					`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, origin, returnee, arrival_date)
					 VALUES ($1, $2, 'rls-test-hash', '李*', '湖北省', true, '2020-02-20')`,
					[subdistrictId, household.id]
				)
			)
		).rejects.toThrow(/row-level security/);
	});
});

describe('audit log', () => {
	it('lets the app role append and read, never change or delete; nobody may change it', async () => {
		const db = await testDb();
		const [{ id: subdistrictId }] = await db.query<{ id: number }>('SELECT id FROM subdistrict');
		const scope = { subdistrictId, personScope: 'none' as const, gridIds: [] };
		const id = await withScope(db, scope, async (tx) => {
			const [row] = await tx.query<{ id: string }>(
				`INSERT INTO audit_log (subdistrict_id, actor, action, target_kind, target_id) VALUES ($1, 'rls-test', 'test.append', 'person', '42') RETURNING id`,
				[subdistrictId]
			);
			return row.id;
		});
		const read = await withScope(db, scope, (tx) =>
			tx.query('SELECT action FROM audit_log WHERE id = $1', [id])
		);
		expect(read).toEqual([{ action: 'test.append' }]);
		await expect(
			withScope(db, scope, (tx) =>
				tx.query(`UPDATE audit_log SET action = 'x' WHERE id = $1`, [id])
			)
		).rejects.toThrow(/permission denied|append-only/);
		await expect(
			withScope(db, scope, (tx) => tx.query('DELETE FROM audit_log WHERE id = $1', [id]))
		).rejects.toThrow(/permission denied|append-only/);
		// Even the owner (the connection user) cannot rewrite history.
		await expect(db.query(`UPDATE audit_log SET action = 'x' WHERE id = $1`, [id])).rejects.toThrow(
			/append-only/
		);
		await expect(db.query('DELETE FROM audit_log WHERE id = $1', [id])).rejects.toThrow(
			/append-only/
		);
	});
});
