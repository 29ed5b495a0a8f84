import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
	writeSync
} from 'node:fs';
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
 * A process's state and start time (clock ticks since boot) from /proc on Linux; null where there is no /proc
 * entry (gone) or no /proc at all (then only the process id can be checked).
 */
function processInfo(pid: number): { state: string; started: string } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// After the command name (in parentheses, which may itself hold spaces): state is the 1st field, start time the 20th.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { state: fields[0], started: fields[19] };
	} catch {
		return null;
	}
}

/** How the lock looks at another process: by signal 0 and by /proc (replaced in tests, which cannot hide /proc). */
export interface ProcessProbe {
	/** 'yes', 'no', or 'other-user' (it exists, but belongs to a user we may not signal). */
	signal(pid: number): 'yes' | 'no' | 'other-user';
	info(pid: number): { state: string; started: string } | null;
	/** Whether this system has /proc at all. */
	hasProc(): boolean;
}

const systemProbe: ProcessProbe = {
	signal(pid) {
		try {
			process.kill(pid, 0);
			return 'yes';
		} catch (error) {
			// EPERM: it exists, under another user.
			return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'other-user' : 'no';
		}
	},
	info: processInfo,
	hasProc: () => existsSync('/proc/self/stat')
};

/**
 * Whether the lock's owner still runs: not gone, not a zombie (killed, not yet reaped), not another process given
 * its id. When the owner cannot be seen in /proc but signals say it exists under another user, /proc is hidden from
 * us (mounted with hidepid): it counts as running — taking the folder from a live server would corrupt it.
 */
export function ownerAlive(
	owner: number,
	started: string | undefined,
	probe: ProcessProbe = systemProbe
): boolean {
	// Our own pid in the file is a lock left by an earlier process that had the same pid (containers).
	if (!(owner > 0) || owner === process.pid) return false;
	const signalled = probe.signal(owner);
	if (signalled === 'no') return false;
	const info = probe.info(owner);
	if (info === null) return signalled === 'other-user' || !probe.hasProc();
	if (info.state === 'Z' || info.state === 'X') return false;
	return started === undefined || started === info.started;
}

/**
 * The embedded database belongs to one process: a second one opening the same folder would
 * corrupt it. A lock file holds the owner's process id and start time; a lock whose process is gone,
 * is a zombie (a restart a second after kill -9), or whose id now names another process, is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
	const path = join(dataDir, 'gridwatch.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			const started = processInfo(process.pid)?.started;
			writeSync(fd, started ? `${process.pid} ${started}` : String(process.pid));
			closeSync(fd);
			const release = () => rmSync(path, { force: true });
			process.once('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const [pid, started] = readFileSync(path, 'utf8').trim().split(/\s+/);
			const owner = Number(pid);
			if (ownerAlive(owner, started))
				throw new Error(
					`the embedded database in ${dataDir} is in use by process ${owner}: stop it first, or set GRIDWATCH_DATA_DIR to another folder (if no Gridwatch runs on it, delete ${path})`
				);
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
