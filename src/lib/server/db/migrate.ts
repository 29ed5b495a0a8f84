import { createHash } from 'node:crypto';
import type { Db, Queryable } from './types';
import { both, type Bilingual } from '../../core/i18n';

/**
 * The schema, in two kinds of file, bundled at build time:
 *
 * - `migrations/NNNN_name.sql`: numbered and forward-only: tables, indexes, types, policies,
 *   triggers, grants and data changes. Each runs once; its checksum is kept, and a database whose
 *   applied migration no longer matches its file (someone edited a committed migration) is
 *   refused at start, naming the file.
 * - `functions/name.sql`: the one current definition of each SQL function (CREATE OR REPLACE,
 *   then its grants). A file is applied whenever its content differs from what this database last
 *   applied. Change a function by editing its file; a new signature drops the old one first
 *   (`DROP FUNCTION IF EXISTS` at the top of the file).
 *
 * Migrations up to LAST_MIGRATION_WITH_FUNCTIONS were written before the functions folder and
 * define functions themselves (so a database that ran them holds those bodies until the function
 * files replace them); later ones may not (tests/db/migrations.test.ts holds that).
 */
const migrationFiles = import.meta.glob('./migrations/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;
const functionFiles = import.meta.glob('./functions/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

/** The checksum of a schema file: SHA-256 of its text with line endings made LF. */
export function checksum(sql: string): string {
	return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

const baseName = (path: string) => path.replace(/^.*\//, '').replace(/\.sql$/, '');

export interface SchemaFile {
	/** `0014_distinct_staff_and_begun_shifts` for a migration, `refresh_grid_day` for a function. */
	version: string;
	sql: string;
	checksum: string;
}

export const MIGRATIONS: SchemaFile[] = Object.entries(migrationFiles)
	.map(([path, sql]) => ({ version: baseName(path), sql, checksum: checksum(sql) }))
	.sort((a, b) => a.version.localeCompare(b.version));

export const FUNCTIONS: SchemaFile[] = Object.entries(functionFiles)
	.map(([path, sql]) => ({ version: baseName(path), sql, checksum: checksum(sql) }))
	.sort((a, b) => a.version.localeCompare(b.version));

export const LAST_MIGRATION_WITH_FUNCTIONS = '0016_refresh_own_grids';

/** A schema the release cannot run on: an edited migration, or one from a newer release. */
export class SchemaMismatchError extends Error {}

/** Checks PostGIS on a server database, creating the extension when it is available. */
async function ensurePostgis(db: Db): Promise<void> {
	const [available] = await db.query<{ installed: string | null; available: boolean }>(
		`SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS installed,
		        EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available`
	);
	if (available.installed) return;
	if (!available.available) {
		throw new Error(
			'The database server has no PostGIS. Install it on the server (Debian/Ubuntu: ' +
				'`apt-get install postgresql-15-postgis-3`, matching your PostgreSQL version), then start Gridwatch again.'
		);
	}
	try {
		await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
	} catch (cause) {
		throw new Error(
			`PostGIS is installed on the server but not enabled in this database, and this user cannot enable it (${(cause as Error).message}). ` +
				'Ask a superuser to run `CREATE EXTENSION postgis;` in this database.',
			{ cause }
		);
	}
}

/** Several app instances may start together: one changes the schema, the others wait. */
const lock = (tx: Queryable) => tx.query('SELECT pg_advisory_xact_lock(20200125)');

/** The runner's own tables; a database from before checksums gains the column. */
async function bookkeeping(db: Db): Promise<void> {
	await db.transaction(async (tx) => {
		await lock(tx);
		await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
			version    text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		);
		ALTER TABLE schema_migration ADD COLUMN IF NOT EXISTS checksum text;
		CREATE TABLE IF NOT EXISTS schema_function (
			name       text PRIMARY KEY,
			checksum   text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		);
		-- As schema_migration: readable by the app's role (0003 grants it on a new database).
		DO $$ BEGIN
			IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridwatch_app') THEN
				GRANT SELECT ON schema_function TO gridwatch_app;
			END IF;
		END $$`);
	});
}

/** A refusal at start, read by whoever runs the server: in both languages, Chinese first. */
const inBoth = (text: Bilingual) => `${text['zh-CN']}\n${text.en}`;

/**
 * Every applied migration still matches its file, and none is unknown to this release. A row
 * without a checksum was applied before checksums were kept: it is given its file's (every
 * released database ran today's text of the migrations it has; they were last edited before the
 * first release that could be deployed).
 */
async function verifyApplied(db: Db): Promise<Set<string>> {
	return db.transaction(async (tx) => {
		await lock(tx);
		const rows = await tx.query<{ version: string; checksum: string | null }>(
			'SELECT version, checksum FROM schema_migration ORDER BY version'
		);
		const files = new Map(MIGRATIONS.map((m) => [m.version, m]));
		const problems: string[] = [];
		for (const row of rows) {
			const file = files.get(row.version);
			if (!file) {
				problems.push(inBoth(both('core_migration_unknown', { version: row.version })));
			} else if (row.checksum === null) {
				await tx.query('UPDATE schema_migration SET checksum = $2 WHERE version = $1', [
					row.version,
					file.checksum
				]);
			} else if (row.checksum !== file.checksum) {
				problems.push(
					inBoth(
						both('core_migration_edited', {
							version: row.version,
							then: row.checksum.slice(0, 12),
							now: file.checksum.slice(0, 12)
						})
					)
				);
			}
		}
		if (problems.length) throw new SchemaMismatchError(problems.join('\n'));
		return new Set(rows.map((r) => r.version));
	});
}

async function applyMigration(db: Db, migration: SchemaFile): Promise<boolean> {
	return db.transaction(async (tx) => {
		await lock(tx);
		const [row] = await tx.query('SELECT 1 AS done FROM schema_migration WHERE version = $1', [
			migration.version
		]);
		if (row) return false; // another instance applied it while this one waited
		await tx.exec(migration.sql);
		await tx.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [
			migration.version,
			migration.checksum
		]);
		return true;
	});
}

/** The function files whose text differs from what the database last applied (all of them when `all`). */
async function changedFunctions(db: Db, all: boolean): Promise<SchemaFile[]> {
	const rows = await db.query<{ name: string; checksum: string }>(
		'SELECT name, checksum FROM schema_function'
	);
	const applied = new Map(rows.map((r) => [r.name, r.checksum]));
	return FUNCTIONS.filter((fn) => all || applied.get(fn.version) !== fn.checksum);
}

/** Creates one function file's definition and records its checksum, inside `tx`. */
async function applyFunction(tx: Queryable, fn: SchemaFile): Promise<void> {
	// Bodies are not checked against tables at creation, so the order of the files does not matter.
	await tx.exec('SET LOCAL check_function_bodies = off');
	try {
		await tx.exec(fn.sql);
	} catch (cause) {
		throw new Error(`src/lib/server/db/functions/${fn.version}.sql: ${(cause as Error).message}`, {
			cause
		});
	}
	await tx.query(
		`INSERT INTO schema_function (name, checksum) VALUES ($1, $2)
		 ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`,
		[fn.version, fn.checksum]
	);
}

/**
 * Applies the given function files in one transaction: all or none; a failure stops the start,
 * naming the file. A function whose file is gone (a migration dropped it) is forgotten.
 */
async function applyFunctions(db: Db, files: SchemaFile[]): Promise<string[]> {
	return db.transaction(async (tx) => {
		await lock(tx);
		for (const fn of files) await applyFunction(tx, fn);
		await tx.query('DELETE FROM schema_function WHERE NOT (name = ANY ($1::text[]))', [
			FUNCTIONS.map((f) => f.version)
		]);
		return files.map((f) => f.version);
	});
}

/**
 * Before migrations that come after the functions folder: each changed file in a transaction of
 * its own, so that one that cannot be created yet (its signature names a type such a migration
 * adds) is simply left for the pass after them. Returns the files applied and those left.
 */
async function applyFunctionsTolerant(
	db: Db,
	files: SchemaFile[]
): Promise<{ applied: string[]; deferred: string[] }> {
	const applied: string[] = [];
	const deferred: string[] = [];
	for (const fn of files) {
		try {
			await db.transaction(async (tx) => {
				await lock(tx);
				await applyFunction(tx, fn);
			});
			applied.push(fn.version);
		} catch {
			deferred.push(fn.version);
		}
	}
	return { applied, deferred };
}

export interface MigrationResult {
	/** Migrations applied, in order. */
	migrations: string[];
	/** Function files applied (new or changed). */
	functions: string[];
}

/**
 * Brings the database to this release's schema: the migrations written before the functions
 * folder, then the function files, then later migrations (which may rely on the current
 * functions), then any function file that could only be created after them.
 */
export async function migrateSchema(db: Db): Promise<MigrationResult> {
	if (db.backend === 'postgres') await ensurePostgis(db);
	await bookkeeping(db);
	const done = await verifyApplied(db);
	const pending = MIGRATIONS.filter((m) => !done.has(m.version));
	const legacy = pending.filter((m) => m.version <= LAST_MIGRATION_WITH_FUNCTIONS);
	const later = pending.filter((m) => m.version > LAST_MIGRATION_WITH_FUNCTIONS);
	const migrations: string[] = [];
	for (const migration of legacy) {
		if (await applyMigration(db, migration)) migrations.push(migration.version);
	}
	// A legacy migration may have replaced a function with its own (older) body: apply them all.
	const due = await changedFunctions(db, migrations.length > 0);
	const functions: string[] = [];
	if (!later.length) {
		functions.push(...(await applyFunctions(db, due)));
		return { migrations, functions };
	}
	const first = await applyFunctionsTolerant(db, due);
	functions.push(...first.applied);
	for (const migration of later) {
		if (await applyMigration(db, migration)) migrations.push(migration.version);
	}
	functions.push(...(await applyFunctions(db, await changedFunctions(db, false))));
	return { migrations, functions };
}

/** Applies what is pending (see migrateSchema); returns the migrations applied. */
export async function migrate(db: Db): Promise<string[]> {
	return (await migrateSchema(db)).migrations;
}
