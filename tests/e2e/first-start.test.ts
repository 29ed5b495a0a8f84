import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startServer } from '../support/server';
import { Client } from '../support/http';

/** What a new user gets from `npm start` (the build is made by the e2e global setup). */
describe('starting the app', () => {
	it('creates, migrates and seeds an empty embedded database on first start, then starts warm', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'gridwatch-first-'));
		try {
			const coldStarted = Date.now();
			const cold = await startServer({ GRIDWATCH_DATA_DIR: dataDir });
			const coldMs = Date.now() - coldStarted;
			const coldClient = new Client(cold.url);
			await coldClient.signInAsDemo('demo-leader');
			const summary = await (await coldClient.get('/api/summary')).json();
			await cold.stop();
			expect(cold.output()).toContain('Loading the Baiyang demo data');
			expect(summary.day).toBe('2020-02-28');
			expect(summary.grids).toBe(99);
			expect(summary.figures.residentsRegistered).toBe(470_000);

			const warmStarted = Date.now();
			const warm = await startServer({ GRIDWATCH_DATA_DIR: dataDir });
			const warmMs = Date.now() - warmStarted;
			const warmClient = new Client(warm.url);
			await warmClient.signInAsDemo('demo-leader');
			const again = await (await warmClient.get('/api/summary')).json();
			await warm.stop();
			expect(warm.output()).not.toContain('Loading the Baiyang demo data');
			expect(again.figures).toEqual(summary.figures);
			expect(warmMs).toBeLessThan(coldMs);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 300_000);

	const startFails = (env: Record<string, string>) => {
		const run = spawnSync(process.execPath, ['scripts/start.js'], {
			env: { ...process.env, PORT: '0', ...env },
			encoding: 'utf8',
			timeout: 60_000
		});
		return { status: run.status, output: `${run.stdout}${run.stderr}` };
	};

	it('fails fast with a clear message when DATABASE_URL is malformed or unreachable', () => {
		const malformed = startFails({ DATABASE_URL: 'localhost/gridwatch' });
		expect(malformed.status).toBe(1);
		expect(malformed.output).toContain('DATABASE_URL is malformed');
		const unreachable = startFails({ DATABASE_URL: 'postgres://gridwatch@127.0.0.1:1/gridwatch' });
		expect(unreachable.status).toBe(1);
		expect(unreachable.output).toContain(
			'Cannot connect to DATABASE_URL (postgres://gridwatch@127.0.0.1:1/gridwatch)'
		);
	});

	it.runIf(process.env.TEST_DATABASE_URL)(
		'says how to get PostGIS when the database lacks it',
		async () => {
			const admin = postgres(process.env.TEST_DATABASE_URL as string, { onnotice: () => {} });
			const database = `gridwatch_nopostgis_${process.pid}`;
			try {
				await admin.unsafe(`DROP DATABASE IF EXISTS ${database}`);
				await admin.unsafe(`CREATE DATABASE ${database}`);
				await admin.unsafe(
					`DO $$ BEGIN CREATE ROLE gridwatch_plain LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`
				);
				await admin.unsafe(`ALTER DATABASE ${database} OWNER TO gridwatch_plain`);
				const url = new URL(process.env.TEST_DATABASE_URL as string);
				url.username = 'gridwatch_plain';
				url.password = '';
				url.pathname = `/${database}`;
				const result = startFails({ DATABASE_URL: url.toString() });
				expect(result.status).toBe(1);
				expect(result.output).toContain('Ask a superuser to run `CREATE EXTENSION postgis;`');
			} finally {
				await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
				await admin.end();
			}
		}
	);
});
