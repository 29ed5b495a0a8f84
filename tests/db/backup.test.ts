import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { countRows } from '../../src/lib/server/backup';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import type { Db } from '../../src/lib/server/db/types';
import { copySeededPglite } from '../support/seeded-pglite';
import { backend } from './database';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'gridwatch-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `npm run backup|restore -- file` as an operator would (the same script), with this environment. */
function runCli(
	command: 'backup' | 'restore',
	file: string,
	env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
	return new Promise((done) => {
		const child = spawn(
			process.execPath,
			['scripts/run-ts.js', `src/lib/server/cli/${command}.ts`, file],
			{
				cwd: ROOT,
				env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) => done({ code, output }));
	});
}

async function countsOf(open: () => Promise<Db>): Promise<Record<string, number>> {
	const db = await open();
	try {
		return await countRows(db);
	} finally {
		await db.close();
	}
}

/** The tables and counts a seeded database has, so that "equal" cannot hold between two empty ones. */
function expectSeeded(counts: Record<string, number>) {
	expect(counts.person).toBeGreaterThan(11_000);
	expect(counts.household).toBeGreaterThan(2_500);
	expect(counts.screening).toBeGreaterThan(11_000);
	expect(counts.grid).toBe(99);
	expect(counts.grid_day).toBeGreaterThan(99 * 30);
	expect(counts.schema_migration).toBeGreaterThan(10);
}

describe.runIf(backend() === 'pglite')('backup and restore of the embedded database', () => {
	it('backs up a seeded database, restores it into an empty folder, and every table has its rows', async () => {
		const source = await copySeededPglite('backup');
		try {
			const file = join(work, 'gridwatch.tar.gz');
			// The running server holds the folder: the backup says so and writes nothing.
			writeFileSync(join(source, 'gridwatch.lock'), String(process.pid));
			const locked = await runCli('backup', file, { GRIDWATCH_DATA_DIR: source });
			expect(locked.code).toBe(1);
			expect(locked.output).toContain(`is in use by process ${process.pid}: stop it first`);
			expect(existsSync(file)).toBe(false);
			rmSync(join(source, 'gridwatch.lock'));

			const backup = await runCli('backup', file, { GRIDWATCH_DATA_DIR: source });
			expect(backup.code, backup.output).toBe(0);
			expect(statSync(file).size).toBeGreaterThan(1_000_000);
			expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
			const again = await runCli('backup', file, { GRIDWATCH_DATA_DIR: source });
			expect(again.code).toBe(1);
			expect(again.output).toContain('exists already: a backup never overwrites one');

			// Never over a database that is there.
			const over = await runCli('restore', file, { GRIDWATCH_DATA_DIR: source });
			expect(over.code).toBe(1);
			expect(over.output).toContain('is not empty: a restore goes into an empty folder');

			const target = join(work, 'restored');
			const restore = await runCli('restore', file, { GRIDWATCH_DATA_DIR: target });
			expect(restore.code, restore.output).toBe(0);
			expect(restore.output).toMatch(/Restored .* migrations up to \d{4}_/);

			const before = await countsOf(() => openPglite(source));
			const after = await countsOf(() => openPglite(target));
			expectSeeded(before);
			expect(after).toEqual(before);
		} finally {
			rmSync(source, { recursive: true, force: true });
		}
	}, 300_000);
});

describe.runIf(backend() === 'postgres')(
	'backup and restore on a PostgreSQL + PostGIS server',
	() => {
		it('backs up the seeded database with pg_dump, restores it into an empty database, and every table has its rows', async () => {
			const sourceUrl = process.env.TEST_DATABASE_URL as string;
			const targetUrl = new URL(sourceUrl);
			const targetName = `${targetUrl.pathname.slice(1)}_restore_${process.pid}`;
			targetUrl.pathname = `/${targetName}`;
			const admin = postgres(sourceUrl, { onnotice: () => {}, max: 1 });
			try {
				await admin.unsafe(`DROP DATABASE IF EXISTS ${targetName}`);
				await admin.unsafe(`CREATE DATABASE ${targetName}`);
				const file = join(work, 'gridwatch.dump');
				const backup = await runCli('backup', file, { DATABASE_URL: sourceUrl });
				expect(backup.code, backup.output).toBe(0);
				expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format

				const restore = await runCli('restore', file, { DATABASE_URL: targetUrl.toString() });
				expect(restore.code, restore.output).toBe(0);
				const over = await runCli('restore', file, { DATABASE_URL: targetUrl.toString() });
				expect(over.code).toBe(1);
				expect(over.output).toContain('is not empty (tables ');

				const before = await countsOf(() => openPostgres(sourceUrl, { max: 1 }));
				const after = await countsOf(() => openPostgres(targetUrl.toString(), { max: 1 }));
				expectSeeded(before);
				expect(after).toEqual(before);
			} finally {
				await admin.unsafe(`DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`);
				await admin.end();
			}
		}, 300_000);
	}
);
