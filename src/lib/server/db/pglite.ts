import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
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
 * The embedded database belongs to one process: a second one opening the same folder would
 * corrupt it. A lock file holds the owner's process id; a lock whose process is gone is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
	const path = join(dataDir, 'gridwatch.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			const release = () => rmSync(path, { force: true });
			process.once('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(readFileSync(path, 'utf8'));
			let alive = false;
			try {
				// Our own pid in the file is a lock left by an earlier process that had the same pid (containers).
				alive = owner > 0 && owner !== process.pid && process.kill(owner, 0);
			} catch {
				alive = false;
			}
			if (alive) throw new Error(`the embedded database in ${dataDir} is in use by process ${owner}: stop it first, or set GRIDWATCH_DATA_DIR to another folder`);
			rmSync(path, { force: true });
		}
	}
	throw new Error(`could not lock the embedded database in ${dataDir}`);
}

/**
 * Opens (creating on first use) an embedded PostgreSQL + PostGIS database in `dataDir`,
 * or in memory when `dataDir` is undefined. The first open unpacks PostGIS (~10 s).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
	let release = () => {};
	if (dataDir) {
		mkdirSync(dataDir, { recursive: true });
		release = lockDataDir(dataDir);
	}
	let pg: PGlite;
	try {
		pg = await PGlite.create(dataDir, { extensions: { postgis } });
	} catch (error) {
		release();
		throw error;
	}
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
			release();
		}
	};
}
