import { rmSync } from 'node:fs';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import type { Db, Queryable } from '../../src/lib/server/db/types';
import { copySeededPglite } from '../support/seeded-pglite';

let shared: Promise<Db> | null = null;
let copyDir: string | null = null;

/**
 * The seeded test database for this run: a private copy of the seeded PGlite folder, or the
 * PostGIS server database (TEST_DATABASE_URL). Shared by all db test files (one worker).
 */
export function testDb(): Promise<Db> {
	shared ??= (async () => {
		if (process.env.TEST_BACKEND === 'postgres')
			return openPostgres(process.env.TEST_DATABASE_URL as string);
		copyDir = await copySeededPglite('db');
		const db = await openPglite(copyDir);
		process.once('exit', () => copyDir && rmSync(copyDir, { recursive: true, force: true }));
		return db;
	})();
	return shared;
}

class Rollback extends Error {}

/** Runs `work` in a transaction that is always rolled back, so tests leave no state behind. */
export async function inRolledBackTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
	const db = await testDb();
	let result: T | undefined;
	try {
		await db.transaction(async (tx) => {
			result = await work(tx);
			throw new Rollback();
		});
	} catch (error) {
		if (!(error instanceof Rollback)) throw error;
	}
	return result as T;
}

export const backend = () => (process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite');
