import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { countRows } from '../../src/lib/server/backup';
import { MIGRATIONS, migrate } from '../../src/lib/server/db/migrate';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import type { Db } from '../../src/lib/server/db/types';
import { Client } from '../support/http';
import { schemaDifferences, schemaSnapshot } from '../support/schema';
import { copySeededPglite } from '../support/seeded-pglite';
import { startServer } from '../support/server';

/**
 * An upgrade keeps everything: a database written by the previous release (the commit issue 16
 * starts from) is opened by this one, which migrates it at start and serves the same data, and
 * ends with the same schema as a fresh install: functions (their bodies from src/lib/server/db/
 * functions, which that release did not have), policies, triggers, grants, columns and indexes.
 */
const PREVIOUS_RELEASE = 'b827fc5';
const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'upgrade-test-secret-0123456789abcdef';
const work = mkdtempSync(join(tmpdir(), 'gridwatch-upgrade-'));
const previous = join(work, 'previous');

/**
 * The records people wrote, and the areas: exactly as many after. Every other table may grow (the new
 * release adds demo users, sessions, audit entries and gap items on start and sign-in), never shrink.
 */
const KEPT_EXACTLY = [
	'subdistrict',
	'community',
	'grid',
	'compound',
	'building',
	'household',
	'person',
	'screening',
	'observation',
	'service_task',
	'checkpoint',
	'staff',
	'shift',
	'enterprise',
	'project',
	'daily_report',
	'grid_day'
];

function run(
	command: string,
	args: string[],
	options: { cwd: string; env?: Record<string, string> }
): Promise<string> {
	return new Promise((done, fail) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: { ...process.env, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) =>
			code === 0
				? done(output)
				: fail(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`))
		);
	});
}

beforeAll(() => {
	// Fails, never skips: without the history there is no previous release to upgrade from.
	const found = spawnSync('git', ['cat-file', '-e', `${PREVIOUS_RELEASE}^{commit}`], { cwd: ROOT });
	if (found.status !== 0) {
		throw new Error(
			`The upgrade test needs the previous release, commit ${PREVIOUS_RELEASE}, from git history, and this checkout lacks it (a shallow clone?). Fetch the history: git fetch --unshallow`
		);
	}
	mkdirSync(previous);
	const archive = spawnSync(
		'sh',
		['-c', `git archive --format=tar ${PREVIOUS_RELEASE} | tar -x -C "${previous}"`],
		{ cwd: ROOT, encoding: 'utf8' }
	);
	if (archive.status !== 0)
		throw new Error(`could not unpack ${PREVIOUS_RELEASE}: ${archive.stderr}`);
	// The same dependencies (the lock file has not changed since): the previous code runs on ours.
	symlinkSync(join(ROOT, 'node_modules'), join(previous, 'node_modules'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Loads the demo with the previous release's own loader, into the database `env` names. */
function loadWithPreviousRelease(env: Record<string, string>): Promise<string> {
	return run(process.execPath, ['scripts/run-ts.js', 'src/lib/server/cli/load-demo.ts'], {
		cwd: previous,
		env: { GRIDWATCH_SECRET: SECRET, ...env }
	});
}

interface Before {
	counts: Record<string, number>;
	figures: Record<string, number>;
}

/** What the previous release wrote: every table's rows, and 28 Feb's figures from its rollup. */
async function readBefore(db: Db): Promise<Before> {
	try {
		const counts = await countRows(db);
		const [figures] = await db.query<Record<string, number>>(
			`SELECT sum(observed_households)::int AS "observedHouseholds", sum(observed_persons)::int AS "observedPersons",
			        sum(persons_screened_cum)::int AS "personsScreenedCum", sum(returnees_due)::int AS "returneesDue",
			        sum(returnees_screened)::int AS "returneesScreened", sum(households_registered)::int AS "householdsRegistered"
			 FROM grid_day WHERE day = '2020-02-28'`
		);
		return { counts, figures };
	} finally {
		await db.close();
	}
}

async function checkUpgrade(
	before: Before,
	env: Record<string, string>,
	openAfter: () => Promise<Db>,
	openFresh: () => Promise<Db>
) {
	for (const table of KEPT_EXACTLY) expect(before.counts[table], table).toBeGreaterThan(0);
	expect(before.counts.person).toBeGreaterThan(11_000);
	expect(before.counts.schema_migration).toBeGreaterThan(0);
	expect(before.counts.schema_migration).toBeLessThan(MIGRATIONS.length); // there is something to migrate

	const server = await startServer({ GRIDWATCH_SECRET: SECRET, ...env });
	try {
		const ready = await fetch(`${server.url}/readyz`);
		const readiness = await ready.json();
		expect(ready.status, JSON.stringify(readiness)).toBe(200);
		expect(readiness.checks.migrations).toMatchObject({
			status: 'ok',
			latest: MIGRATIONS.at(-1)?.version
		});

		const client = new Client(server.url);
		await client.signInAsDemo('demo-leader');
		const response = await client.get('/api/summary?date=2020-02-28');
		expect(response.status).toBe(200);
		const summary = await response.json();
		expect(summary.period).toEqual({ first: '2020-01-20', last: '2020-02-28' });
		expect(summary.figures).toMatchObject(before.figures);
	} finally {
		await server.stop();
	}

	const db = await openAfter();
	let after: Record<string, number>;
	let upgradedSchema: Record<string, string>;
	try {
		after = await countRows(db);
		upgradedSchema = await schemaSnapshot(db);
	} finally {
		await db.close();
	}
	const fresh = await openFresh();
	let freshSchema: Record<string, string>;
	try {
		freshSchema = await schemaSnapshot(fresh);
	} finally {
		await fresh.close();
	}
	expect(Object.keys(freshSchema).length).toBeGreaterThan(500);
	expect(
		Object.keys(freshSchema).filter((k) => k.startsWith('function ')).length
	).toBeGreaterThanOrEqual(30);
	expect(schemaDifferences(upgradedSchema, freshSchema)).toEqual([]);
	expect(after.schema_migration).toBe(MIGRATIONS.length);
	const lost: string[] = [];
	for (const [table, rows] of Object.entries(before.counts)) {
		if (table === 'schema_migration') continue;
		const now = after[table];
		if (now === undefined || now < rows || (KEPT_EXACTLY.includes(table) && now !== rows))
			lost.push(`${table}: ${rows} → ${now}`);
	}
	expect(lost).toEqual([]);
}

describe(`upgrading from the previous release (${PREVIOUS_RELEASE})`, () => {
	it('opens an embedded database the previous release wrote, migrates it, and keeps every record', async () => {
		const dataDir = join(work, 'pglite');
		await loadWithPreviousRelease({ DATABASE_URL: '', GRIDWATCH_DATA_DIR: dataDir });
		const before = await readBefore(await openPglite(dataDir));
		// A fresh install: the seeded database the other tiers use, migrated by this release from empty.
		const freshDir = await copySeededPglite('upgrade-fresh');
		try {
			await checkUpgrade(
				before,
				{ GRIDWATCH_DATA_DIR: dataDir },
				() => openPglite(dataDir),
				() => openPglite(freshDir)
			);
		} finally {
			rmSync(freshDir, { recursive: true, force: true });
		}
	}, 400_000);

	it.runIf(process.env.TEST_DATABASE_URL)(
		'opens a PostGIS database the previous release wrote, migrates it, and keeps every record',
		async () => {
			const url = new URL(process.env.TEST_DATABASE_URL as string);
			const name = `${url.pathname.slice(1)}_upgrade_${process.pid}`;
			const freshName = `${name}_fresh`;
			const admin = postgres(url.toString(), { onnotice: () => {}, max: 1 });
			const freshUrl = new URL(url);
			freshUrl.pathname = `/${freshName}`;
			url.pathname = `/${name}`;
			try {
				for (const db of [name, freshName]) {
					await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
					await admin.unsafe(`CREATE DATABASE ${db}`);
				}
				await loadWithPreviousRelease({ DATABASE_URL: url.toString() });
				const before = await readBefore(await openPostgres(url.toString(), { max: 1 }));
				await checkUpgrade(
					before,
					{ DATABASE_URL: url.toString(), GRIDWATCH_DEMO: '1' },
					() => openPostgres(url.toString(), { max: 1 }),
					async () => {
						// A fresh install: an empty database migrated by this release.
						const fresh = await openPostgres(freshUrl.toString(), { max: 1 });
						await migrate(fresh);
						return fresh;
					}
				);
			} finally {
				for (const db of [name, freshName])
					await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
				await admin.end();
			}
		},
		300_000
	);
});
