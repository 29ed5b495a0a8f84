import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/lib/server/demo/load';
import { generateDemo, syntheticIdNumber } from '../../src/lib/server/demo/generate';
import { hashIdNumber, TEST_SECRET } from '../../src/lib/server/secret';
import { testDb } from './database';

describe('database interface', () => {
	it('delivers a notification to a listener, and stops after unlisten', async () => {
		const db = await testDb();
		const received: string[] = [];
		const unlisten = await db.listen('gridwatch_test', (payload) => received.push(payload));
		await db.notify('gridwatch_test', '{"grid":"0502"}');
		for (let i = 0; i < 100 && received.length === 0; i++)
			await new Promise((r) => setTimeout(r, 20));
		await unlisten();
		await db.notify('gridwatch_test', 'after');
		await new Promise((r) => setTimeout(r, 200));
		expect(received).toEqual(['{"grid":"0502"}']);
	});

	it('rolls a transaction back on error: nothing half-written', async () => {
		const db = await testDb();
		const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM household');
		await expect(
			db.transaction(async (tx) => {
				await tx.query(
					`INSERT INTO household (subdistrict_id, code, members, geom)
					 VALUES ((SELECT id FROM subdistrict LIMIT 1), 'TX-1', 2, ST_SetSRID(ST_MakePoint(120.35, 30.3), 4326))`
				);
				await tx.query(
					`INSERT INTO household (subdistrict_id, code, members, geom) VALUES (1, 'TX-2', -1, NULL)`
				);
			})
		).rejects.toThrow();
		const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM household');
		expect(after[0].n).toBe(before[0].n);
	});

	it('refuses to load the demo twice and leaves the database as it was', async () => {
		const db = await testDb();
		await expect(loadDemo(db, TEST_SECRET, generateDemo())).rejects.toThrow(
			/330114002 \(白杨街道\) is already loaded/
		);
		const [row] = await db.query<{ n: number; grids: number }>(
			'SELECT count(*)::int AS n, (SELECT count(*)::int FROM grid) AS grids FROM subdistrict'
		);
		expect(row).toEqual({ n: 1, grids: 99 });
	}, 60_000);
});

describe('minimum data', () => {
	it('stores ID numbers only as their keyed hash', async () => {
		const db = await testDb();
		const [row] = await db.query<{ raw: number; hashed: number; total: number; first: boolean }>(
			`SELECT count(*) FILTER (WHERE id_hash ~ '^[0-9]{17}[0-9X]$')::int AS raw,
			        count(*) FILTER (WHERE id_hash ~ '^[0-9a-f]{64}$')::int AS hashed,
			        count(*)::int AS total,
			        bool_or(id_hash = $1) AS first
			 FROM person`,
			[hashIdNumber(TEST_SECRET, syntheticIdNumber(1))]
		);
		expect(row).toEqual({ raw: 0, hashed: row.total, total: row.total, first: true });
		expect(row.total).toBeGreaterThan(10_000);
	});
});
