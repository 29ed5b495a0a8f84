/**
 * What the reliability run's phases share: the app's servers on each backend, direct database
 * access for checks, an event-stream client that reconnects as a browser's EventSource does,
 * the server's resident memory, and the table every check adds a row to.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, startServer, type RunningServer } from '../support/server';
import { Client } from '../support/http';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import type { Db } from '../../src/lib/server/db/types';

export const ROOT = resolve(import.meta.dirname, '../..');
/** A fixed secret, so that a restarted server reads the data it wrote (ID-number hashes). */
export const SECRET = 'reliability-run-secret-0123456789abcdef';

export type BackendName = 'PGlite' | 'PostGIS';

/** One backend the app runs on: how to start the app on it and how to read its database directly. */
export interface Backend {
	name: BackendName;
	env: Record<string, string>;
	/** Runs `work` with direct (superuser) access to the database; on PGlite only while no server holds it. */
	withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

export function pgliteBackend(dataDir: string): Backend {
	return {
		name: 'PGlite',
		env: { GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_SECRET: SECRET },
		async withDb(work) {
			const db = await openPglite(dataDir);
			try {
				return await work(db);
			} finally {
				await db.close();
			}
		}
	};
}

export function postgisBackend(url: string): Backend {
	return {
		name: 'PostGIS',
		env: { DATABASE_URL: url, GRIDWATCH_DEMO: '1', GRIDWATCH_SECRET: SECRET },
		async withDb(work) {
			const db = await openPostgres(url, { max: 2 });
			try {
				return await work(db);
			} finally {
				await db.close();
			}
		}
	};
}

/** The run's servers carry the heap probe (tests/reliability/heap-probe.cjs): `heapAfterGc` asks it. */
const HEAP_PROBE = `--expose-gc --require ${join(ROOT, 'tests/reliability/heap-probe.cjs')}`;

export async function startApp(backend: Backend, port?: number): Promise<RunningServer> {
	return startServer({ ...backend.env, NODE_OPTIONS: HEAP_PROBE }, 240_000, port);
}

/** The server's live heap and resident memory right after a full collection (bytes), or null if it did not answer in 10 s. */
export async function heapAfterGc(
	server: RunningServer
): Promise<{ heapUsed: number; external: number; rss: number } | null> {
	const lines = () =>
		server
			.output()
			.split('\n')
			.filter((line) => line.startsWith('{"msg":"heap-probe"'));
	const before = lines().length;
	server.process.kill('SIGUSR2');
	const answered = await waitFor(() => lines().length > before, 10_000, 20);
	return answered === null ? null : JSON.parse(lines()[before]);
}

/** Resident memory of a process in bytes (VmRSS in /proc/PID/status), or NaN once it has gone. */
export function rssBytes(pid: number | undefined): number {
	if (!pid) return NaN;
	try {
		const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
		return line ? Number(line[1]) * 1024 : NaN;
	} catch {
		return NaN;
	}
}

export function alive(child: ChildProcess): boolean {
	return child.exitCode === null && child.signalCode === null;
}

/** Kills the server at once (no shutdown handlers run) and waits until it has gone. */
export async function killHard(child: ChildProcess): Promise<void> {
	if (!alive(child)) return;
	const gone = new Promise<void>((done) => child.once('exit', () => done()));
	child.kill('SIGKILL');
	await gone;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------------------------------------

export interface Row {
	phase: string;
	check: string;
	backend: string;
	measured: string;
	floor: string;
	pass: boolean;
}

export class Table {
	rows: Row[] = [];
	add(
		phase: string,
		check: string,
		backend: string,
		measured: string,
		floor: string,
		pass: boolean
	) {
		const row = { phase, check, backend, measured, floor, pass };
		this.rows.push(row);
		console.log(
			`  ${pass ? 'pass' : 'FAIL'}  ${phase} | ${check} | ${backend} | ${measured} | floor ${floor}`
		);
	}
	get failed() {
		return this.rows.filter((r) => !r.pass).length;
	}
	print(header: string) {
		const lines = [
			header,
			'',
			'| phase | check | backend | measured | floor | result |',
			'| --- | --- | --- | --- | --- | --- |'
		];
		for (const r of this.rows)
			lines.push(
				`| ${r.phase} | ${r.check} | ${r.backend} | ${r.measured} | ${r.floor} | ${r.pass ? 'pass' : '**FAIL**'} |`
			);
		console.log(`\n${lines.join('\n')}\n`);
	}
}

// ---------------------------------------------------------------------------------------------

export interface StreamChange {
	at: number;
	from: string;
	to: string;
	gaps: boolean;
	grids?: string[];
}

/**
 * A client of GET /api/events that behaves as the wall's EventSource: it reads `change` events,
 * and when the stream ends or cannot be opened it opens it again after the server's retry time.
 */
export class StreamClient {
	changes: StreamChange[] = [];
	hellos = 0;
	failures = 0;
	/** What happened to the connection, in order, with ms since the client was made: for failure messages. */
	history: string[] = [];
	private readonly born = Date.now();
	private controller = new AbortController();
	private stopped = false;
	done: Promise<void>;

	constructor(
		readonly baseUrl: string,
		readonly cookie: string,
		readonly retryMs = 2000
	) {
		this.done = this.run();
	}

	private async run() {
		while (!this.stopped) {
			try {
				this.note('connect');
				const response = await fetch(`${this.baseUrl}/api/events`, {
					headers: { cookie: this.cookie, accept: 'text/event-stream' },
					signal: this.controller.signal
				});
				this.note(`status ${response.status}`);
				if (response.ok && response.body) {
					const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
					let buffer = '';
					for (;;) {
						const { value, done } = await reader.read();
						if (done) {
							this.note('ended');
							break;
						}
						buffer += value;
						if (process.env.DBG_STREAM)
							this.note(`read ${value.length}: ${JSON.stringify(value.slice(0, 40))}`);
						let end: number;
						while ((end = buffer.indexOf('\n\n')) >= 0) {
							this.onEvent(buffer.slice(0, end));
							buffer = buffer.slice(end + 2);
						}
					}
				} else {
					this.failures++;
					await response.body?.cancel();
				}
			} catch (error) {
				if (this.stopped) return;
				this.note(
					`failed: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : error}`
				);
				this.failures++;
			}
			if (!this.stopped) await sleep(this.retryMs);
		}
	}

	private note(what: string) {
		this.history.push(`${Date.now() - this.born} ${what}`);
		if (this.history.length > 40) this.history.shift();
	}

	private onEvent(block: string) {
		let event = 'message';
		let data = '';
		for (const line of block.split('\n')) {
			if (line.startsWith('event:')) event = line.slice(6).trim();
			else if (line.startsWith('data:')) data += line.slice(5).trim();
		}
		if (event === 'hello') {
			this.hellos++;
			this.note('hello');
		}
		if (event === 'change') {
			try {
				this.changes.push({ at: Date.now(), ...(JSON.parse(data) as Omit<StreamChange, 'at'>) });
			} catch {
				/* not ours */
			}
		}
	}

	async stop() {
		this.stopped = true;
		this.controller.abort();
		await this.done;
	}
}

/** Waits until `condition` holds, polling; returns the milliseconds it took, or null on timeout. */
export async function waitFor(
	condition: () => boolean | Promise<boolean>,
	timeoutMs: number,
	everyMs = 50
): Promise<number | null> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (await condition()) return Date.now() - started;
		await sleep(everyMs);
	}
	return null;
}

// ---------------------------------------------------------------------------------------------

/** Signed-in clients for the demo roles, and a wall-screen link made by the administrator. */
export interface Identities {
	roles: Record<string, Client>;
	wall: Client;
	wallToken: string;
}

/** The label of the wall-screen link the run makes for itself (its own write, not the fuzzing's). */
export const RUN_WALL_LABEL = '可靠性测试大屏';

export const DEMO_ROLES = [
	'demo-leader',
	'demo-community',
	'demo-grid',
	'demo-grid-other',
	'demo-data',
	'demo-planner',
	'demo-admin'
];

export async function signInAll(baseUrl: string): Promise<Identities> {
	const roles: Record<string, Client> = {};
	for (const role of DEMO_ROLES) {
		roles[role] = new Client(baseUrl);
		await roles[role].signInAsDemo(role);
	}
	const created = await (
		await roles['demo-admin'].postForm('/admin/wall?/create', {
			label: RUN_WALL_LABEL,
			suppressBelow: '5'
		})
	).text();
	const wallToken = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)?.[1];
	if (!wallToken) throw new Error('could not create a wall-screen link');
	const wall = new Client(baseUrl);
	const opened = await wall.get(`/api/summary?wall_token=${wallToken}`);
	if (opened.status !== 200) throw new Error(`wall link refused: ${opened.status}`);
	return { roles, wall, wallToken };
}

/** JSON POST as one of our pages sends it (Origin = the app). */
export function postJson(client: Client, path: string, body: unknown) {
	return client.request(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: client.baseUrl },
		body: JSON.stringify(body)
	});
}

/** Persons of a grid the writer may screen (ids), read through the API as the grid leader. */
export async function personsOf(client: Client, grid: string): Promise<number[]> {
	const response = await client.get(`/api/persons?grid=${grid}`);
	if (response.status !== 200) throw new Error(`/api/persons?grid=${grid}: ${response.status}`);
	const body = (await response.json()) as { persons: { id: number }[] };
	return body.persons.map((p) => p.id);
}

// ---------------------------------------------------------------------------------------------

/** A PostgreSQL cluster of the run's own, on its own port, which the run may stop and start. */
export interface OwnCluster {
	url(database: string): string;
	psql(database: string, sql: string): string;
	stop(): void;
	start(): void;
	destroy(): void;
}

function postgresBin(): string {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base))
		throw new Error(
			'PostgreSQL server binaries not found under /usr/lib/postgresql (Debian: apt-get install postgresql-15-postgis-3)'
		);
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin/initdb')))
		.sort((a, b) => Number(b) - Number(a));
	if (!versions.length) throw new Error('no initdb under /usr/lib/postgresql/*/bin');
	return join(base, versions[0], 'bin');
}

export async function startOwnCluster(): Promise<OwnCluster> {
	const bin = postgresBin();
	const port = await freePort();
	const dir = mkdtempSync('/tmp/gridwatch-reliability-pg-');
	const asRoot = process.getuid?.() === 0;
	// PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
	if (asRoot) {
		const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		chownSync(dir, Number(ids.stdout), Number(gids.stdout));
	}
	const run = (command: string, args: string[]) => {
		const full = asRoot
			? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
			: spawnSync(command, args, { encoding: 'utf8' });
		if (full.status !== 0)
			throw new Error(`${command} ${args.join(' ')} failed: ${full.stderr || full.stdout}`);
		return full.stdout;
	};
	run(join(bin, 'initdb'), [
		'-D',
		join(dir, 'data'),
		'-A',
		'trust',
		'-U',
		'postgres',
		'-E',
		'UTF8',
		'--no-locale',
		'--no-sync'
	]);
	const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`;
	const cluster: OwnCluster = {
		url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
		psql: (database, sql) =>
			run('psql', [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-Atqc',
				sql
			]).trim(),
		stop: () => run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']),
		start: () =>
			run(join(bin, 'pg_ctl'), [
				'-D',
				join(dir, 'data'),
				'-o',
				options,
				'-l',
				join(dir, 'log'),
				'-w',
				'start'
			]),
		destroy: () => {
			try {
				cluster.stop();
			} catch {
				/* not running */
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
	cluster.start();
	return cluster;
}

/** Spawns a TypeScript CLI of the app (npm run db:load-demo and the like) with the given environment. */
export function spawnCli(module: string, env: Record<string, string>) {
	const child = spawn(process.execPath, ['scripts/run-ts.js', module], {
		cwd: ROOT,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	return { child, output: () => output };
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
