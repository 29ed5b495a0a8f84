/**
 * `npm run test:reliability` — load, faults, bad input and concurrency against the built app, on
 * PGlite and on PostGIS (TEST_DATABASE_URL), printing a table of each figure against its floor;
 * exit 1 if any row fails. Bounded (CI, ≤ 8 minutes on 2 cores): the load phase runs
 * RELIABILITY_LOAD_SECONDS (default 40) per backend. `-- --soak`: the load phase runs an hour.
 * `-- --load-seconds N` chooses another duration. Without TEST_DATABASE_URL the PostGIS rows are
 * not run (and REQUIRE_POSTGIS=1, as in CI, makes that a failure).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../support/server';
import { copySeededPglite } from '../support/seeded-pglite';
import { Client } from '../support/http';
import {
	pgliteBackend,
	postgisBackend,
	ROOT,
	signInAll,
	startApp,
	startOwnCluster,
	StreamClient,
	Table,
	waitFor,
	SECRET,
	type Backend
} from './harness';
import { loadPhase } from './load';
import { ensureDemoUsers } from '../../src/lib/features/auth/server/demo-users.server';
import { checkNothingWritten, fuzzPhase, oversizedPhase, writableState } from './bad-input';
import { checkRace, pickTargets, race } from './concurrency';
import {
	checkAcknowledged,
	checkStreamAfterRestart,
	killImport,
	lastScreeningId,
	restartCluster,
	terminateConnections,
	writeThenKill
} from './faults';

/**
 * Three forms. Bounded (CI, ≤ 8 minutes on 2 cores): 40 s of load and 2,500 fuzz cases per backend. `--full`: the
 * issue's figures — 3 minutes of load and 10,000 fuzz cases per backend (about 14 minutes here). `--soak`: as
 * `--full` with an hour of load per backend.
 */
const MODES = {
	bounded: { loadSeconds: 40, fuzzPerBackend: 2_500, wallFloorS: 480 },
	full: { loadSeconds: 180, fuzzPerBackend: 10_000, wallFloorS: null },
	soak: { loadSeconds: 3600, fuzzPerBackend: 10_000, wallFloorS: null }
} as const;

/** Whether build/ is missing or older than a source file (a stale build would test other code). */
function buildIsStale(): boolean {
	const handler = join(ROOT, 'build/handler.js');
	if (!existsSync(handler)) return true;
	const built = statSync(handler).mtimeMs;
	const newer = (dir: string): boolean =>
		readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const path = join(dir, entry.name);
			return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built;
		});
	return (
		newer(join(ROOT, 'src')) ||
		['svelte.config.js', 'vite.config.ts', 'package-lock.json'].some(
			(f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs > built
		)
	);
}

function option(args: string[], name: string): string | undefined {
	const at = args.indexOf(name);
	return at >= 0 ? args[at + 1] : undefined;
}

/** One backend: bad input, concurrency, load, then kill -9 mid-write and restart on the same data. */
async function runBackend(
	table: Table,
	backend: Backend,
	loadSeconds: number,
	fuzzCases: number,
	seed: number
) {
	console.log(`\n== ${backend.name}`);
	const isPglite = backend.name === 'PGlite';
	// PGlite is one process's: read its state before the server takes it (the server's sign-ins
	// and the wall link are the run's own writes, not the fuzzing's: they are in the snapshot's
	// exceptions or made before it on PostGIS).
	let server = await startApp(backend);
	try {
		const who = await signInAll(server.url);
		let before: Record<string, string> | null = null;
		if (!isPglite) before = await backend.withDb(writableState);
		const fuzz = await fuzzPhase(table, backend.name, server, who, fuzzCases, seed);
		await oversizedPhase(table, backend.name, server, who);
		// PGlite cannot be read while served: its snapshot before was taken before the server started.
		if (isPglite) await server.stop();
		else {
			const after = await backend.withDb(writableState);
			checkNothingWritten(table, backend.name, before!, after, fuzz.acceptedWrites);
		}
		if (isPglite) {
			const after = await backend.withDb(writableState);
			checkNothingWritten(table, backend.name, pgliteBaseline!, after, fuzz.acceptedWrites);
		}
		const { targets, sinceId } = await backend.withDb(async (db) => ({
			targets: await pickTargets(db),
			sinceId: await lastScreeningId(db)
		}));
		if (isPglite) server = await startApp(backend);
		const who2 = isPglite ? await signInAll(server.url) : who;
		const outcome = await race(server.url, who2, targets);
		await loadPhase(table, backend.name, server, who2, loadSeconds * 1000);
		if (!isPglite)
			await terminateConnections(
				table,
				backend,
				server,
				who2.roles['demo-leader'],
				who2.roles['demo-grid']
			);

		// kill -9 while writes are in flight, then the same data again.
		const wall = new StreamClient(server.url, who2.wall.cookie);
		await waitFor(() => wall.hellos > 0, 10_000);
		const port = Number(new URL(server.url).port);
		const hellosBefore = wall.hellos;
		const killed = await writeThenKill(server, who2.roles['demo-grid'], 12);
		server = await startApp(backend, port);
		// Sessions live in the database: the clients signed in before the crash are still signed in.
		await checkStreamAfterRestart(
			table,
			backend.name,
			'server killed -9 and started again',
			wall,
			who2.roles['demo-grid'],
			10_000,
			hellosBefore
		);
		await wall.stop();
		await server.stop();
		await checkAcknowledged(table, backend, sinceId, killed.acknowledged, killed.inFlightAtKill);
		await checkRace(table, backend, targets, outcome);
	} finally {
		await server.stop();
	}
}

let pgliteBaseline: Record<string, string> | null = null;

export async function main(args: string[]): Promise<number> {
	const started = Date.now();
	const soak = args.includes('--soak');
	const modeName = soak ? 'soak' : args.includes('--full') ? 'full' : 'bounded';
	const mode = MODES[modeName];
	const loadSeconds = Number(
		option(args, '--load-seconds') ?? process.env.RELIABILITY_LOAD_SECONDS ?? mode.loadSeconds
	);
	const seed = Number(option(args, '--seed') ?? Date.now() % 1_000_000);
	const postgisUrl = process.env.TEST_DATABASE_URL?.trim();
	const table = new Table();
	if (!postgisUrl) {
		if (process.env.REQUIRE_POSTGIS === '1') {
			console.error(
				'REQUIRE_POSTGIS=1 but TEST_DATABASE_URL is not set: the PostGIS half of the reliability run cannot run.'
			);
			return 1;
		}
		console.log(
			'Note: TEST_DATABASE_URL is not set, so the reliability run covers PGlite only (no PostGIS load, connection or restart faults). CI runs both.'
		);
	}
	console.log(
		`Reliability run (${modeName}): load ${loadSeconds} s per backend, fuzz seed ${seed}`
	);

	if (buildIsStale()) {
		console.log('Building the app (build/ is missing or older than the sources)…');
		await buildApp();
	}
	const dataDir = await copySeededPglite('reliability');
	const fuzzPerBackend = Number(option(args, '--fuzz-cases') ?? mode.fuzzPerBackend);
	const fuzzTotal = postgisUrl ? fuzzPerBackend * 2 : fuzzPerBackend;
	try {
		const pglite = pgliteBackend(dataDir);
		// The server ensures the demo users when it starts: so does the baseline, before it.
		pgliteBaseline = await pglite.withDb(async (db) => {
			await ensureDemoUsers(db);
			return writableState(db);
		});
		await runBackend(table, pglite, loadSeconds, fuzzPerBackend, seed);
		if (postgisUrl) {
			await runBackend(table, postgisBackend(postgisUrl), loadSeconds, fuzzPerBackend, seed + 1);
			// The run's own PostgreSQL cluster: killed import, then the server restarted under the app.
			console.log('\n== PostGIS (own cluster)');
			const cluster = await startOwnCluster();
			try {
				cluster.psql('postgres', 'CREATE DATABASE gridwatch_reliability');
				cluster.psql('gridwatch_reliability', 'CREATE EXTENSION postgis');
				const env = { GRIDWATCH_SECRET: SECRET };
				await killImport(table, cluster, 'gridwatch_reliability', env);
				// The next start finds the database without the demo and loads it whole.
				const server = await startApp({ ...postgisBackend(cluster.url('gridwatch_reliability')) });
				try {
					const reader = new Client(server.url);
					await reader.signInAsDemo('demo-leader');
					const writer = new Client(server.url);
					await writer.signInAsDemo('demo-grid');
					const complete = cluster.psql(
						'gridwatch_reliability',
						"SELECT (SELECT count(*) FROM subdistrict) || '/' || (SELECT count(*) FROM grid) || '/' || (SELECT count(*) FROM grid_day)"
					);
					table.add(
						'faults',
						'after the killed import, the next start loads the demo whole: subdistricts/grids/grid-days',
						'PostGIS (own cluster)',
						complete,
						'1/99/3960',
						complete === '1/99/3960'
					);
					await restartCluster(table, cluster, server, reader, writer);
				} finally {
					await server.stop();
				}
			} finally {
				cluster.destroy();
			}
		} else {
			table.add(
				'setup',
				'PostGIS backend (TEST_DATABASE_URL)',
				'PostGIS',
				'not set: not run',
				'run in CI',
				process.env.REQUIRE_POSTGIS !== '1'
			);
		}
	} catch (error) {
		table.add(
			'setup',
			`run completed${error instanceof Error ? `: ${error.message.slice(0, 300)}` : ''}`,
			'—',
			'aborted',
			'completed',
			false
		);
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
	const wallS = (Date.now() - started) / 1000;
	const floorS = mode.wallFloorS;
	table.add(
		'run',
		`wall time of the whole run (builds included), ${modeName}`,
		'both',
		`${wallS.toFixed(0)} s`,
		floorS === null ? '— (not bounded)' : `≤ ${floorS} s`,
		floorS === null || wallS <= floorS
	);
	table.print(
		`Reliability (${modeName}): load ${loadSeconds} s per backend (50 event streams + 20 requests/s), ${fuzzTotal.toLocaleString('en')} fuzz cases in all, fuzz seed ${seed}`
	);
	console.log(table.failed ? `${table.failed} check(s) FAILED` : 'Every check passed.');
	return table.failed ? 1 : 0;
}
