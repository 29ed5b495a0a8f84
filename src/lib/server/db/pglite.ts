import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable } from './types';

function wrap(target: PGlite | Transaction): Queryable {
	return {
		async query<T>(sql: string, params: unknown[] = []) {
			const result = await target.query<T>(sql, params);
			return result.rows;
		},
		async exec(sql: string) {
			await target.exec(sql);
		}
	};
}

/**
 * Opens (creating on first use) an embedded PostgreSQL + PostGIS database in `dataDir`,
 * or in memory when `dataDir` is undefined. The first open unpacks PostGIS (~10 s).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
	if (dataDir) mkdirSync(dataDir, { recursive: true });
	const pg = await PGlite.create(dataDir, { extensions: { postgis } });
	await pg.exec(`CREATE EXTENSION IF NOT EXISTS postgis; SET TIME ZONE 'Asia/Shanghai';`);
	const base = wrap(pg);
	return {
		backend: 'pglite',
		...base,
		transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
		async listen(channel, handler) {
			const unsubscribe = await pg.listen(channel, handler);
			return () => unsubscribe();
		},
		async notify(channel, payload) {
			await pg.query('SELECT pg_notify($1, $2)', [channel, payload]);
		},
		async close() {
			await pg.close();
		}
	};
}
