import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import {
	FUNCTIONS,
	LAST_MIGRATION_WITH_FUNCTIONS,
	MIGRATIONS,
	SchemaMismatchError,
	checksum,
	migrateSchema
} from '../../src/lib/server/db/migrate';
import type { Db } from '../../src/lib/server/db/types';
import { checkMigrations } from '../../src/lib/server/health';
import { testDb } from './database';

const MIGRATIONS_DIR = 'src/lib/server/db/migrations';
const FUNCTIONS_DIR = 'src/lib/server/db/functions';

/** The function names a SQL text defines (CREATE [OR REPLACE] FUNCTION name). */
const definedFunctions = (sql: string) =>
	[...sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?(\w+)/gi)].map(
		(m) => m[1]
	);

describe('schema files: one current definition per SQL function', () => {
	it('defines each function in exactly one file of functions/, named after it', () => {
		const files = readdirSync(FUNCTIONS_DIR).filter((f) => f.endsWith('.sql'));
		expect(files.length).toBeGreaterThanOrEqual(30);
		for (const file of files) {
			const names = definedFunctions(readFileSync(`${FUNCTIONS_DIR}/${file}`, 'utf8'));
			expect(names, file).toEqual([file.replace(/\.sql$/, '')]);
		}
	});

	it('has no function defined in a migration written after the functions folder', () => {
		const later = readdirSync(MIGRATIONS_DIR)
			.filter((f) => f.endsWith('.sql') && f.replace(/\.sql$/, '') > LAST_MIGRATION_WITH_FUNCTIONS)
			.map((f) => ({
				file: f,
				names: definedFunctions(readFileSync(`${MIGRATIONS_DIR}/${f}`, 'utf8'))
			}));
		expect(later.filter((m) => m.names.length)).toEqual([]);
	});
});

describe('the migration runner', () => {
	let db: Db;
	beforeAll(async () => {
		db = await testDb();
	});

	const functionDef = async (name: string) =>
		(
			await db.query<{ def: string }>(
				`SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p
				 WHERE p.proname = $1 AND p.pronamespace = 'public'::regnamespace`,
				[name]
			)
		).map((r) => r.def);

	it('is what /readyz checks: it names a pending migration, one from a newer release, and a stale function', async () => {
		const latest = MIGRATIONS.at(-1)!.version;
		const newer = '9999_from_a_newer_release';
		const edited = FUNCTIONS[0].version;
		expect(await checkMigrations(db)).toEqual({ status: 'ok', latest });
		class Undo extends Error {}
		const checks: Awaited<ReturnType<typeof checkMigrations>>[] = [];
		await expect(
			db.transaction(async (tx) => {
				const on = tx as Db;
				await tx.query('DELETE FROM schema_migration WHERE version = $1', [latest]);
				checks.push(await checkMigrations(on));
				await tx.query(
					`INSERT INTO schema_migration (version, checksum) VALUES ($1, 'x'), ($2, 'x')`,
					[latest, newer]
				);
				checks.push(await checkMigrations(on));
				await tx.query('DELETE FROM schema_migration WHERE version = $1', [newer]);
				await tx.query(`UPDATE schema_function SET checksum = 'edited' WHERE name = $1`, [edited]);
				checks.push(await checkMigrations(on));
				throw new Undo();
			})
		).rejects.toBeInstanceOf(Undo);
		expect(checks[0]).toMatchObject({ status: 'fail', pending: [latest] });
		expect(checks[0].message).toContain(latest);
		expect(checks[1]).toMatchObject({ status: 'fail', unknown: [newer] });
		expect(checks[1].message).toContain(newer);
		expect(checks[2]).toMatchObject({ status: 'fail', functions: [edited] });
		expect(checks[2].message).toContain(edited);
		// Undone: the database is as the release wants it again.
		expect(await checkMigrations(db)).toEqual({ status: 'ok', latest });
	});

	it('has applied every migration and function file, with their checksums, and applies nothing twice', async () => {
		expect(await migrateSchema(db)).toEqual({ migrations: [], functions: [] });
		const migrations = await db.query<{ version: string; checksum: string }>(
			'SELECT version, checksum FROM schema_migration ORDER BY version'
		);
		expect(migrations).toEqual(
			MIGRATIONS.map((m) => ({ version: m.version, checksum: m.checksum }))
		);
		const functions = await db.query<{ name: string; checksum: string }>(
			'SELECT name, checksum FROM schema_function ORDER BY name'
		);
		expect(functions).toEqual(FUNCTIONS.map((f) => ({ name: f.version, checksum: f.checksum })));
		// Every function of the public schema (PostGIS's aside) has its file, and no file is left over.
		const inDatabase = await db.query<{ name: string }>(
			`SELECT DISTINCT p.proname AS name FROM pg_proc p
			 WHERE p.pronamespace = 'public'::regnamespace
			   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
			 ORDER BY 1`
		);
		expect(inDatabase.map((r) => r.name)).toEqual(FUNCTIONS.map((f) => f.version));
	});

	it('checksums a file by its text, whatever its line endings', () => {
		expect(checksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(checksum('SELECT 1;\nSELECT 2;\n'));
		expect(checksum('SELECT 1;')).not.toBe(checksum('SELECT 2;'));
		expect(checksum('')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses to start on a database whose applied migration was edited since, naming the file', async () => {
		const version = '0005_person_indexes';
		const [{ checksum: kept }] = await db.query<{ checksum: string }>(
			'SELECT checksum FROM schema_migration WHERE version = $1',
			[version]
		);
		await db.query('UPDATE schema_migration SET checksum = $2 WHERE version = $1', [
			version,
			'0'.repeat(64)
		]);
		try {
			const refused = await migrateSchema(db).catch((e: Error) => e);
			expect(refused).toBeInstanceOf(SchemaMismatchError);
			expect((refused as Error).message).toContain(`${MIGRATIONS_DIR}/${version}.sql`);
			expect((refused as Error).message).toMatch(/在本数据库执行后被修改/);
			expect((refused as Error).message).toMatch(/was edited after this database applied it/);
		} finally {
			await db.query('UPDATE schema_migration SET checksum = $2 WHERE version = $1', [
				version,
				kept
			]);
		}
		expect(await migrateSchema(db)).toEqual({ migrations: [], functions: [] });
	});

	it('refuses a database a newer release migrated, naming the migration it does not know', async () => {
		await db.query(`INSERT INTO schema_migration (version, checksum) VALUES ('9999_newer', 'x')`);
		try {
			const refused = await migrateSchema(db).catch((e: Error) => e);
			expect(refused).toBeInstanceOf(SchemaMismatchError);
			expect((refused as Error).message).toContain('9999_newer');
			expect((refused as Error).message).toMatch(/a newer release wrote it/);
		} finally {
			await db.query(`DELETE FROM schema_migration WHERE version = '9999_newer'`);
		}
	});

	it('gives the migrations of a database from before checksums their files’ checksums', async () => {
		await db.query(`UPDATE schema_migration SET checksum = NULL WHERE version <= '0003'`);
		expect(await migrateSchema(db)).toEqual({ migrations: [], functions: [] });
		const [{ missing }] = await db.query<{ missing: number }>(
			'SELECT count(*)::int AS missing FROM schema_migration WHERE checksum IS NULL'
		);
		expect(missing).toBe(0);
		const [first] = await db.query<{ checksum: string }>(
			`SELECT checksum FROM schema_migration WHERE version = '0001_schema'`
		);
		expect(first.checksum).toBe(MIGRATIONS[0].checksum);
	});

	it('applies a function file whose text differs from what the database last applied, and only it', async () => {
		const name = 'gap_same_cause';
		const [current] = await functionDef(name);
		// The database's body drifted (say, someone replaced it by hand) and its recorded file changed.
		await db.exec(`CREATE OR REPLACE FUNCTION gap_same_cause(a jsonb, b jsonb) RETURNS boolean
			LANGUAGE sql IMMUTABLE AS $$ SELECT false $$`);
		await db.query(`UPDATE schema_function SET checksum = 'older' WHERE name = $1`, [name]);
		expect(await migrateSchema(db)).toEqual({ migrations: [], functions: [name] });
		expect(await functionDef(name)).toEqual([current]);
	});

	it('stops on a function file that fails, naming the file, and changes nothing', async () => {
		const broken = {
			version: 'zz_broken',
			sql: 'CREATE OR REPLACE FUNCTION zz_broken() RETURNS no_such_type LANGUAGE sql AS $$ SELECT 1 $$;',
			checksum: 'broken'
		};
		const drifted = 'gap_same_cause';
		await db.query(`UPDATE schema_function SET checksum = 'older' WHERE name = $1`, [drifted]);
		FUNCTIONS.push(broken);
		try {
			const refused = await migrateSchema(db).catch((e: Error) => e);
			expect((refused as Error).message).toContain('src/lib/server/db/functions/zz_broken.sql');
			expect((refused as Error).message).toMatch(/no_such_type/);
			// One transaction: the other file's checksum was not recorded either.
			const [row] = await db.query<{ checksum: string }>(
				'SELECT checksum FROM schema_function WHERE name = $1',
				[drifted]
			);
			expect(row.checksum).toBe('older');
		} finally {
			FUNCTIONS.pop();
		}
		expect((await migrateSchema(db)).functions).toEqual([drifted]);
	});

	it('creates a function whose signature needs a later migration’s type after that migration', async () => {
		const migration = {
			version: '9000_test_type',
			sql: 'CREATE TYPE test_pair AS (a int, b int);',
			checksum: 'test-type'
		};
		const fn = {
			version: 'test_pair_of',
			sql: 'CREATE OR REPLACE FUNCTION test_pair_of(x int) RETURNS test_pair LANGUAGE sql AS $$ SELECT x, x $$;',
			checksum: 'test-pair'
		};
		MIGRATIONS.push(migration);
		FUNCTIONS.push(fn);
		try {
			expect(await migrateSchema(db)).toEqual({
				migrations: ['9000_test_type'],
				functions: ['test_pair_of']
			});
			const [pair] = await db.query<{ b: number }>('SELECT (test_pair_of(7)).b AS b');
			expect(pair.b).toBe(7);
		} finally {
			MIGRATIONS.pop();
			FUNCTIONS.pop();
			await db.exec(`DROP FUNCTION IF EXISTS test_pair_of(int); DROP TYPE IF EXISTS test_pair;
				DELETE FROM schema_migration WHERE version = '9000_test_type';
				DELETE FROM schema_function WHERE name = 'test_pair_of'`);
		}
		expect(await migrateSchema(db)).toEqual({ migrations: [], functions: [] });
	});
});
