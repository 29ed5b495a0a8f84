import { spawnSync } from 'node:child_process';
import { Agent, get } from 'node:http';
import type { Socket } from 'node:net';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { MIGRATIONS } from '../../src/lib/server/db/migrate';
import { Client } from '../support/http';
import { copySeededPglite } from '../support/seeded-pglite';
import { freePort, startServer } from '../support/server';

const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

describe.each(BACKENDS)('probes on $name', ({ url }) => {
	it('/healthz and /readyz answer JSON without a session, never a redirect to sign-in', async () => {
		const health = await fetch(`${url}/healthz`, { redirect: 'manual' });
		expect(health.status).toBe(200);
		expect(await health.json()).toMatchObject({ status: 'ok' });

		const ready = await fetch(`${url}/readyz`, {
			redirect: 'manual',
			headers: { 'x-request-id': 'probe-0123456789' }
		});
		const body = await ready.json();
		expect(ready.status, JSON.stringify(body)).toBe(200);
		expect(ready.headers.get('x-request-id')).toBe('probe-0123456789');
		expect(ready.headers.get('cache-control')).toBe('no-store');
		expect(body).toMatchObject({
			status: 'ok',
			checks: {
				database: { status: 'ok' },
				migrations: { status: 'ok', latest: MIGRATIONS.at(-1)?.version },
				rollup: { status: 'ok', subdistricts: 1, lastDay: '2020-02-28' }
			}
		});
		expect(body.streams).toMatchObject({ open: expect.any(Number), listening: expect.any(Number) });
		// Our own id when none (or a malformed one) is given.
		const other = await fetch(`${url}/healthz`, {
			headers: { 'x-request-id': 'bad id with spaces' }
		});
		expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});
});

describe('connections', () => {
	it('keeps an idle connection open as KEEP_ALIVE_TIMEOUT says (75 s on the test servers), so a client reusing it is not reset', async () => {
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		const probe = () =>
			new Promise<{ status: number; socket: Socket; keepAlive: string | undefined }>(
				(done, fail) => {
					const request = get(`${inject('baseUrl')}/healthz`, { agent }, (response) => {
						response.resume();
						response.on('end', () =>
							done({
								status: response.statusCode ?? 0,
								socket: request.socket as Socket,
								keepAlive: response.headers['keep-alive'] as string | undefined
							})
						);
					});
					request.on('error', fail);
				}
			);
		try {
			const first = await probe();
			expect(first.status).toBe(200);
			// The server says how long it keeps the connection: KEEP_ALIVE_TIMEOUT, 75 on the test servers (tests/e2e/global-setup.ts).
			expect(first.keepAlive).toBe('timeout=75');
			await new Promise((wait) => setTimeout(wait, 6_000));
			expect(first.socket.destroyed, 'the server closed the idle connection').toBe(false);
			const second = await probe();
			expect(second.status).toBe(200);
			expect(second.socket, 'the second request went over the same connection').toBe(first.socket);
		} finally {
			agent.destroy();
		}
	}, 20_000);
});

describe('request logs', () => {
	it('one JSON line per request with its id, user id, role, route, status and time, and no person-level values', async () => {
		const dataDir = await copySeededPglite('logs');
		const server = await startServer({ GRIDWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
		try {
			const client = new Client(server.url);
			await client.signInAsDemo('demo-grid');
			const response = await client.request('/api/persons?grid=0502', {
				headers: { 'x-request-id': 'persons-read-0001' }
			});
			expect(response.status).toBe(200);
			const { persons } = (await response.json()) as {
				persons: { nameMasked: string; phoneMasked: string | null }[];
			};
			expect(persons.length).toBeGreaterThan(5);
			expect((await client.get('/api/gaps/abc')).status).toBe(400);
			await fetch(`${server.url}/healthz`);
			await new Promise((done) => setTimeout(done, 200));

			const lines = server
				.output()
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => JSON.parse(line) as Record<string, unknown>);
			const read = lines.find((line) => line.reqId === 'persons-read-0001');
			expect(read).toMatchObject({
				level: 'info',
				msg: 'request',
				method: 'GET',
				route: '/api/persons',
				status: 200,
				role: 'grid_leader'
			});
			expect(typeof read?.userId).toBe('number');
			expect(typeof read?.ms).toBe('number');
			expect(typeof read?.time).toBe('string');
			expect(lines.find((line) => line.route === '/api/gaps/[id]')).toMatchObject({
				status: 400,
				role: 'grid_leader'
			});
			// Probes are logged at debug only: a balancer polling every few seconds does not flood the log.
			expect(lines.some((line) => line.route === '/healthz')).toBe(false);

			// Nothing the persons read returned, masked or not, nor the query string, reaches the log.
			const log = server.output();
			for (const person of persons) {
				expect(log).not.toContain(person.nameMasked);
				if (person.phoneMasked) expect(log).not.toContain(person.phoneMasked);
			}
			expect(log).not.toContain('grid=0502');
			expect(log).not.toContain('邻里第2网格网格长'); // the user's display name
		} finally {
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});

describe('event streams', () => {
	it(
		'a stream the client abandons at any moment of its opening leaves nothing open (/readyz counts them)',
		{ timeout: 180_000 },
		async () => {
			const dataDir = await copySeededPglite('streams');
			const server = await startServer({ GRIDWATCH_DATA_DIR: dataDir });
			try {
				const client = new Client(server.url);
				await client.signInAsDemo('demo-leader');
				// Both counts must agree: a stream registered but no longer listening (or the reverse) is a leak too.
				const count = async () => {
					const { streams } = (await (await fetch(`${server.url}/readyz`)).json()) as {
						streams: { open: number; listening: number };
					};
					return streams.open === streams.listening
						? streams.open
						: -streams.open - 1000 * streams.listening;
				};
				expect(await count()).toBe(0);
				const open = (abortAfterMs: number | null) => {
					const controller = new AbortController();
					const done = fetch(`${server.url}/api/events`, {
						headers: { cookie: client.cookie },
						signal: controller.signal
					})
						.then(async (response) => {
							const reader = response.body!.getReader();
							await reader.read(); // the hello
							return reader;
						})
						.catch(() => null);
					if (abortAfterMs !== null) setTimeout(() => controller.abort(), abortAfterMs);
					return { controller, done };
				};
				// 80 clients that go away 0–40 ms after asking (before the answer, during the set-up, after the hello),
				// and 10 that stay.
				const leaving = Array.from({ length: 80 }, (_, i) => open(i % 41));
				const staying = Array.from({ length: 10 }, () => open(null));
				await Promise.all([...leaving, ...staying].map((s) => s.done));
				let now = -1;
				for (let i = 0; i < 50 && now !== 10; i++) {
					now = await count();
					if (now !== 10) await new Promise((done) => setTimeout(done, 100));
				}
				expect(now).toBe(10);
				for (const s of staying) s.controller.abort();
				for (let i = 0; i < 50 && now !== 0; i++) {
					now = await count();
					if (now !== 0) await new Promise((done) => setTimeout(done, 100));
				}
				expect(now).toBe(0);
			} finally {
				await server.stop();
				rmSync(dataDir, { recursive: true, force: true });
			}
		}
	);
});

/** PostgreSQL's own programs (Debian keeps them out of PATH), newest version first. */
function postgresBin(): string {
	const versions = existsSync('/usr/lib/postgresql')
		? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
		: [];
	const found = versions
		.map((v) => `/usr/lib/postgresql/${v}/bin`)
		.find((dir) => existsSync(`${dir}/initdb`));
	if (!found)
		throw new Error(
			'PostgreSQL server programs not found under /usr/lib/postgresql/*/bin: install postgresql-15-postgis-3 (as CI does)'
		);
	return found;
}

describe('readiness when the database goes away', () => {
	it('/readyz answers 503 while its PostgreSQL is down and 200 again once it is back; /healthz stays 200', async () => {
		const bin = postgresBin();
		// A cluster of our own that we may stop; postgres refuses to run as root, so as the postgres user then.
		const asRoot = process.getuid?.() === 0;
		const wrap = (command: string, args: string[]) =>
			(asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [
				string,
				string[]
			];
		const sh = (command: string, args: string[]) => {
			const [program, argv] = wrap(command, args);
			const result = spawnSync(program, argv, { encoding: 'utf8', timeout: 60_000 });
			if (result.status !== 0)
				throw new Error(`${command} ${args.join(' ')}: ${result.stdout}${result.stderr}`);
		};
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-pg-'));
		if (asRoot) {
			const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
			const uid = Number(ids.stdout.trim());
			chownSync(
				dir,
				uid,
				Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
			);
		}
		const port = await freePort();
		const pgStart = () =>
			sh(`${bin}/pg_ctl`, [
				'-D',
				join(dir, 'data'),
				'-l',
				join(dir, 'log'),
				'-o',
				`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
				'-w',
				'start'
			]);
		const pgStop = () => sh(`${bin}/pg_ctl`, ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
		sh(`${bin}/initdb`, ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
		pgStart();
		let server: Awaited<ReturnType<typeof startServer>> | null = null;
		try {
			const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, {
				onnotice: () => {},
				max: 1
			});
			await admin.unsafe('CREATE DATABASE gridwatch');
			await admin.end();
			const url = `postgres://postgres@127.0.0.1:${port}/gridwatch`;
			server = await startServer({ DATABASE_URL: url, GRIDWATCH_DEMO: '0' });
			const readyz = async () => {
				const response = await fetch(`${server!.url}/readyz`);
				return { status: response.status, body: await response.json() };
			};

			const empty = await readyz();
			expect(empty.status, JSON.stringify(empty.body)).toBe(200);
			expect(empty.body.checks.rollup).toMatchObject({ status: 'ok', subdistricts: 0 });

			pgStop();
			const down = await readyz();
			expect(down.status).toBe(503);
			expect(down.body).toMatchObject({
				status: 'fail',
				checks: {
					database: { status: 'fail' },
					migrations: { status: 'skipped' },
					rollup: { status: 'skipped' }
				}
			});
			expect(down.body.checks.database.message).toMatch(/^数据库无应答：/);
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

			pgStart();
			expect((await readyz()).status).toBe(200);

			// Data loaded without its rollup, and a database a newer release migrated: each check says so.
			const db = postgres(url, { onnotice: () => {}, max: 1 });
			try {
				await db.unsafe(
					`INSERT INTO subdistrict (code, name, name_en, geom) VALUES ('330114002', '白杨街道', 'Baiyang', ST_Multi(ST_MakeEnvelope(120.3, 30.2, 120.4, 30.3, 4326)))`
				);
				const noRollup = await readyz();
				expect(noRollup.status).toBe(503);
				expect(noRollup.body.checks.rollup.status).toBe('fail');
				expect(noRollup.body.checks.rollup.message).toMatch(
					/没有汇总：载入数据后请执行 SELECT refresh_grid_day/
				);
				await db.unsafe(
					`INSERT INTO schema_migration (version) VALUES ('9999_from_a_newer_release')`
				);
				const newer = await readyz();
				expect(newer.body.checks.migrations).toMatchObject({
					status: 'fail',
					unknown: ['9999_from_a_newer_release']
				});
			} finally {
				await db.end();
			}
		} finally {
			await server?.stop();
			const [program, argv] = wrap(`${bin}/pg_ctl`, [
				'-D',
				join(dir, 'data'),
				'-m',
				'immediate',
				'stop'
			]);
			spawnSync(program, argv, { timeout: 60_000 }); // not running any more is fine here
			rmSync(dir, { recursive: true, force: true });
		}
	}, 180_000);
});
