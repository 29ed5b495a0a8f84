/**
 * Backup and restore of either backend, for `npm run backup` / `npm run restore`.
 *   embedded (PGlite)  the data folder as PGlite dumps it (dumpDataDir: a gzipped tar), restored
 *                      with loadDataDir into an empty folder. The folder's lock (src/lib/server/db/pglite.ts)
 *                      makes both refuse while the server has the database open.
 *   server (PostGIS)   pg_dump's custom format (-Fc), restored with pg_restore into an empty database
 *                      in one transaction: all of it or nothing.
 * Neither overwrites: a backup refuses an existing file, a restore a database that has tables.
 */
import { spawn } from 'node:child_process';
import {
	constants,
	copyFileSync,
	existsSync,
	linkSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { lockDataDir } from './db/pglite';
import { openPostgres, redact } from './db/postgres';
import type { Queryable } from './db/types';

/** Row counts of every table in the public schema, by name: what a restore must give back. */
export async function countRows(db: Queryable): Promise<Record<string, number>> {
	const tables = await db.query<{ name: string }>(
		`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
	);
	const counts: Record<string, number> = {};
	for (const { name } of tables) {
		const [{ n }] = await db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM public."${name.replaceAll('"', '""')}"`
		);
		counts[name] = n;
	}
	return counts;
}

function refuseExisting(file: string): void {
	if (existsSync(file))
		throw new Error(`${file} exists already: a backup never overwrites one; give a new file name`);
	mkdirSync(dirname(file), { recursive: true });
}

/**
 * Writes through a temporary name, so a failed backup leaves no file that looks whole; the finished file is put
 * in place with a hard link, which — unlike a rename — fails if the name was taken meanwhile (two backups
 * started at once with one name): the first stays whole.
 */
async function writeAtomically(
	file: string,
	write: (temporary: string) => Promise<void>
): Promise<void> {
	const temporary = `${file}.partial-${process.pid}`;
	try {
		await write(temporary);
		try {
			linkSync(temporary, file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST')
				throw new Error(
					`${file} was written by another backup meanwhile: kept it; give a new file name`
				);
			// A volume without hard links (some network and FAT mounts): an exclusive copy refuses a taken name too.
			if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS')
				throw error;
			try {
				copyFileSync(temporary, file, constants.COPYFILE_EXCL);
			} catch (copyError) {
				if ((copyError as NodeJS.ErrnoException).code === 'EEXIST')
					throw new Error(
						`${file} was written by another backup meanwhile: kept it; give a new file name`
					);
				rmSync(file, { force: true }); // a copy cut short (disk full) must not look like a backup
				throw copyError;
			}
		}
	} finally {
		rmSync(temporary, { force: true });
	}
}

export async function backupPglite(
	dataDir: string,
	file: string
): Promise<{ tables: number; bytes: number }> {
	if (!existsSync(join(dataDir, 'PG_VERSION')))
		throw new Error(`no embedded database in ${dataDir} (GRIDWATCH_DATA_DIR): nothing to back up`);
	refuseExisting(file);
	// Throws "in use by process N: stop it first" while the server has it open.
	const release = lockDataDir(dataDir);
	try {
		const pg = await PGlite.create(dataDir, { extensions: { postgis } });
		try {
			const tables = Object.keys(await countRows(wrapPglite(pg))).length;
			const archive = await pg.dumpDataDir('gzip');
			const bytes = Buffer.from(await archive.arrayBuffer());
			await writeAtomically(file, async (temporary) => writeFileSync(temporary, bytes));
			return { tables, bytes: bytes.length };
		} finally {
			await pg.close();
		}
	} finally {
		release();
	}
}

export async function restorePglite(
	file: string,
	dataDir: string
): Promise<{ tables: number; latestMigration: string | null }> {
	if (!existsSync(file)) throw new Error(`no backup file ${file}`);
	if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
		throw new Error(
			`${dataDir} (GRIDWATCH_DATA_DIR) is not empty: a restore goes into an empty folder. Move the old one aside (mv ${dataDir} ${dataDir}.old) or set GRIDWATCH_DATA_DIR to a new folder`
		);
	}
	mkdirSync(dataDir, { recursive: true });
	const release = lockDataDir(dataDir);
	let pg: PGlite | null = null;
	try {
		const archive = new Blob([readFileSync(file)]);
		pg = await PGlite.create(dataDir, { extensions: { postgis }, loadDataDir: archive });
		const db = wrapPglite(pg);
		const tables = Object.keys(await countRows(db)).length;
		const [row] = await db.query<{ version: string | null }>(
			'SELECT max(version) AS version FROM schema_migration'
		);
		return { tables, latestMigration: row?.version ?? null };
	} catch (error) {
		// Leave the folder empty again rather than half restored.
		await pg?.close().catch(() => {});
		pg = null;
		release();
		for (const entry of readdirSync(dataDir))
			rmSync(join(dataDir, entry), { recursive: true, force: true });
		throw new Error(
			`${file} could not be restored as an embedded database: ${(error as Error).message}`,
			{ cause: error }
		);
	} finally {
		await pg?.close();
		release();
	}
}

function wrapPglite(pg: PGlite): Queryable {
	return {
		query: async <T>(sql: string, params: unknown[] = []) => (await pg.query<T>(sql, params)).rows,
		exec: async (sql: string) => void (await pg.exec(sql))
	};
}

/** libpq settings from a postgres:// URL, so the password travels in the environment, not on the command line. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const parsed = new URL(url);
	const env: NodeJS.ProcessEnv = { ...process.env };
	if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
	parsed.password = '';
	return { dbname: parsed.toString(), env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((done, fail) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', (error: NodeJS.ErrnoException) =>
			fail(
				error.code === 'ENOENT'
					? new Error(
							`${command} not found: install the PostgreSQL client tools of the server's major version (Debian: apt-get install postgresql-client-15)`
						)
					: error
			)
		);
		child.on('exit', (code) =>
			code === 0
				? done(output)
				: fail(new Error(`${command} failed (exit ${code}): ${output.trim()}`))
		);
	});
}

export async function backupPostgres(url: string, file: string): Promise<{ bytes: number }> {
	refuseExisting(file);
	const { dbname, env } = libpqTarget(url);
	try {
		await writeAtomically(file, async (temporary) => {
			await run('pg_dump', ['--format=custom', '--file', temporary, '--dbname', dbname], env);
		});
	} catch (error) {
		const message = (error as Error).message;
		if (/row-level security/.test(message)) {
			throw new Error(
				`${message}\nThe person-level tables have row-level security forced on their owner, so pg_dump must run as a superuser or a role with BYPASSRLS: DATABASE_URL=postgres://postgres@host/db npm run backup -- ${file}`,
				{ cause: error }
			);
		}
		throw error;
	}
	return { bytes: readFileSync(file).length };
}

export async function restorePostgres(
	file: string,
	url: string
): Promise<{ tables: number; latestMigration: string | null }> {
	if (!existsSync(file)) throw new Error(`no backup file ${file}`);
	const db = await openPostgres(url, { max: 1 });
	try {
		const tables = await db.query<{ name: string }>(
			`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
			   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
			 ORDER BY c.relname LIMIT 5`
		);
		if (tables.length) {
			throw new Error(
				`the database ${redact(url)} is not empty (tables ${tables.map((t) => t.name).join(', ')}…): a restore goes into an empty database. Create one (createdb gridwatch_restored; psql -d gridwatch_restored -c 'CREATE EXTENSION postgis') and point DATABASE_URL at it`
			);
		}
		// The request role is cluster-wide, so a dump does not carry it: make it (as the first migration
		// does) before the grants that name it are restored, and let this user switch to it.
		await db.exec(`DO $$ BEGIN
			IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridwatch_app') THEN
				CREATE ROLE gridwatch_app NOLOGIN NOSUPERUSER NOINHERIT NOBYPASSRLS;
			END IF;
		END $$;
		DO $$ BEGIN EXECUTE format('GRANT gridwatch_app TO %I', current_user); EXCEPTION WHEN others THEN NULL; END $$;`);
	} finally {
		await db.close();
	}
	const { dbname, env } = libpqTarget(url);
	// Everything in the dump but the comment on the PostGIS extension, which only its owner (a
	// superuser) may set, and which would stop a restore by the database's owner.
	const listing = await run('pg_restore', ['--list', file], env);
	const list = `${file}.list-${process.pid}`;
	writeFileSync(
		list,
		listing
			.split('\n')
			.filter((line) => !/ COMMENT - EXTENSION /.test(line))
			.join('\n')
	);
	try {
		await run(
			'pg_restore',
			[
				'--no-owner',
				'--single-transaction',
				'--exit-on-error',
				'--use-list',
				list,
				'--dbname',
				dbname,
				file
			],
			env
		);
	} finally {
		rmSync(list, { force: true });
	}
	const restored = await openPostgres(url, { max: 1 });
	try {
		const [{ n }] = await restored.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`
		);
		const [row] = await restored.query<{ version: string | null }>(
			'SELECT max(version) AS version FROM schema_migration'
		);
		return { tables: n, latestMigration: row?.version ?? null };
	} finally {
		await restored.close();
	}
}
