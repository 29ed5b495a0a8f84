/**
 * Faults: the server killed (-9) while writes are in flight; the demo loader killed mid-import;
 * the app's database connections terminated; the PostgreSQL server itself restarted (a cluster
 * this run starts on its own port, never the shared one).
 */
import type { RunningServer } from '../support/server';
import { Client } from '../support/http';
import {
	killHard,
	personsOf,
	postJson,
	sleep,
	spawnCli,
	StreamClient,
	waitFor,
	type Backend,
	type OwnCluster,
	type Table
} from './harness';
import type { Db } from '../../src/lib/server/db/types';

/** Screenings written since `afterId` and their audit entries (every screening write adds both, in one transaction). */
async function screeningsSince(
	db: Db,
	afterId: number
): Promise<{ screenings: number[]; audited: number[] }> {
	const screenings = await db.query<{ id: number }>(
		'SELECT id FROM screening WHERE id > $1 ORDER BY id',
		[afterId]
	);
	const audited = await db.query<{ id: number }>(
		`SELECT (detail->>'screeningId')::int AS id FROM audit_log WHERE action = 'screening.create' AND (detail->>'screeningId')::int > $1 ORDER BY 1`,
		[afterId]
	);
	return { screenings: screenings.map((r) => r.id), audited: audited.map((r) => r.id) };
}

export async function lastScreeningId(db: Db): Promise<number> {
	const [row] = await db.query<{ id: number }>(
		'SELECT coalesce(max(id), 0)::int AS id FROM screening'
	);
	return row.id;
}

/**
 * Writes screenings four at a time until `count` have been acknowledged, then kills the server
 * while the next ones are in flight. Returns the ids the server acknowledged (201).
 */
export async function writeThenKill(
	server: RunningServer,
	writer: Client,
	count: number
): Promise<{ acknowledged: number[]; inFlightAtKill: number }> {
	const persons = await personsOf(writer, '0502');
	const acknowledged: number[] = [];
	let inFlight = 0;
	let killed = false;
	let serial = 0;
	const loop = async () => {
		while (!killed) {
			inFlight++;
			serial++;
			try {
				const response = await postJson(writer, '/api/screenings', {
					personId: persons[serial % persons.length],
					method: 'phone',
					result: 'normal',
					at: `2020-02-2${serial % 8}T09:00:00+08:00`
				});
				if (response.status === 201)
					acknowledged.push(((await response.json()) as { id: number }).id);
			} catch {
				/* the server died under it: not acknowledged */
			} finally {
				inFlight--;
			}
		}
	};
	const writers = Array.from({ length: 4 }, loop);
	await waitFor(() => acknowledged.length >= count, 60_000, 5);
	const atKill = inFlight;
	await killHard(server.process);
	killed = true;
	await Promise.all(writers);
	return { acknowledged, inFlightAtKill: atKill };
}

export async function checkAcknowledged(
	table: Table,
	backend: Backend,
	afterId: number,
	acknowledged: number[],
	inFlightAtKill: number
): Promise<void> {
	const found = await backend.withDb((db) => screeningsSince(db, afterId));
	const present = acknowledged.filter((id) => found.screenings.includes(id)).length;
	table.add(
		'faults',
		`kill -9 mid-write (${inFlightAtKill} writes in flight): acknowledged writes present after restart`,
		backend.name,
		`${present}/${acknowledged.length}`,
		`${acknowledged.length}/${acknowledged.length}`,
		present === acknowledged.length && acknowledged.length > 0
	);
	const screeningOnly = found.screenings.filter((id) => !found.audited.includes(id));
	const auditOnly = found.audited.filter((id) => !found.screenings.includes(id));
	table.add(
		'faults',
		'kill -9 mid-write: partial writes (a screening without its audit entry, or the reverse)',
		backend.name,
		`${screeningOnly.length + auditOnly.length} of ${found.screenings.length}`,
		'0',
		screeningOnly.length + auditOnly.length === 0
	);
}

/**
 * After a fault (the server killed, the database restarted or its connections cut): a stream client opened before it
 * comes back (hello) and receives the next write's change, unaided. `hellosBeforeFault`: its hello count taken before
 * the fault. The write waits for the stream to be back: a change made while a stream is away is not replayed (the
 * pages reload their data when their stream comes back, `listenForChanges`' onReconnect, and the server ends every
 * stream once it listens again after losing the database).
 */
export async function checkStreamAfterRestart(
	table: Table,
	backend: string,
	label: string,
	stream: StreamClient,
	writer: Client,
	floorMs: number,
	hellosBeforeFault: number
): Promise<void> {
	const hellos = hellosBeforeFault;
	const back = await waitFor(() => stream.hellos > hellos, 15_000);
	const persons = await personsOf(writer, '0502');
	const before = stream.changes.length;
	const wrote = Date.now();
	const response = await postJson(writer, '/api/screenings', {
		personId: persons[0],
		method: 'door',
		result: 'normal',
		at: '2020-02-28T10:00:00+08:00'
	});
	const received = await waitFor(
		() => stream.changes.slice(before).some((c) => c.grids?.includes('0502')),
		floorMs
	);
	table.add(
		'faults',
		`${label}: a wall's event stream, unaided, receives the next change`,
		backend,
		received === null
			? `no change within ${floorMs / 1000} s (write ${response.status}, stream reopened ${stream.hellos - hellos}×${back === null ? ', never' : ''}; got ${JSON.stringify(stream.changes.slice(before)).slice(0, 120)}; stream: ${stream.history.slice(-6).join(' | ')})`
			: `${received} ms after the write (stream reopened ${stream.hellos - hellos}×)`,
		`< ${floorMs / 1000} s`,
		received !== null && response.status === 201 && back !== null
	);
	void wrote;
}

/** pg_terminate_backend on every connection of the app: the next requests must succeed within 1 s. */
export async function terminateConnections(
	table: Table,
	backend: Backend,
	server: RunningServer,
	reader: Client,
	writer: Client
): Promise<void> {
	const stream = new StreamClient(server.url, reader.cookie, 500);
	await waitFor(() => stream.hellos > 0, 10_000);
	const hellosBefore = stream.hellos;
	const terminated = await backend.withDb(async (db) => {
		const rows = await db.query<{ ok: boolean }>(
			`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gridwatch' AND pid <> pg_backend_pid()`
		);
		return rows.length;
	});
	const started = Date.now();
	let failures = 0;
	let recoveredMs: number | null = null;
	while (Date.now() - started < 10_000) {
		const response = await reader.get('/api/summary?date=2020-02-27').catch(() => null);
		if (response?.status === 200) {
			recoveredMs = Date.now() - started;
			break;
		}
		failures++;
		await sleep(20);
	}
	table.add(
		'faults',
		`pg_terminate_backend on the app's ${terminated} connections: first answer after (failed before it)`,
		backend.name,
		recoveredMs === null ? 'none in 10 s' : `${recoveredMs} ms (${failures})`,
		'< 1,000 ms',
		recoveredMs !== null && recoveredMs < 1000
	);
	await checkStreamAfterRestart(
		table,
		backend.name,
		'connections terminated',
		stream,
		writer,
		5000,
		hellosBefore
	);
	await stream.stop();
}

/**
 * The demo loader killed mid-import, on the run's own cluster: the database must hold either
 * nothing of the demo (the loader's transaction rolled back) or all of it.
 */
export async function killImport(
	table: Table,
	cluster: OwnCluster,
	database: string,
	env: Record<string, string>
): Promise<void> {
	const loader = spawnCli('src/lib/server/cli/load-demo.ts', {
		...env,
		DATABASE_URL: cluster.url(database)
	});
	// Migrations first (their own transaction), then the demo's: kill a few seconds into the demo's.
	const migrated = await waitFor(
		() => loader.output().includes('Applied migrations') || loader.child.exitCode !== null,
		120_000,
		20
	);
	await sleep(4000);
	const stillLoading = loader.child.exitCode === null;
	loader.child.kill('SIGKILL');
	await new Promise((done) =>
		loader.child.exitCode !== null || loader.child.signalCode !== null
			? done(null)
			: loader.child.once('exit', done)
	);
	// The server notices the client has gone and rolls its transaction back.
	await waitFor(
		() =>
			cluster.psql(
				database,
				`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gridwatch'`
			) === '0',
		15_000,
		100
	);
	const counts = cluster.psql(
		database,
		"SELECT (SELECT count(*) FROM subdistrict) || '/' || (SELECT count(*) FROM grid) || '/' || (SELECT count(*) FROM person) || '/' || (SELECT count(*) FROM grid_day)"
	);
	const [subdistricts, grids, persons, gridDays] = counts.split('/').map(Number);
	const none = subdistricts + grids + persons + gridDays === 0;
	const all = subdistricts === 1 && grids === 99 && gridDays === 3960 && persons > 0;
	table.add(
		'faults',
		`demo loader killed -9 ${migrated === null ? '(never migrated)' : stillLoading ? '4 s into the import' : '(had already finished)'}: subdistricts/grids/persons/grid-days`,
		'PostGIS',
		counts,
		'all 0 (before) or 1/99/…/3960 (complete)',
		stillLoading && (none || all)
	);
}

/** The PostgreSQL server restarted under the running app: answers again within 10 s; walls get changes again. */
export async function restartCluster(
	table: Table,
	cluster: OwnCluster,
	server: RunningServer,
	reader: Client,
	writer: Client
): Promise<void> {
	const stream = new StreamClient(server.url, reader.cookie);
	await waitFor(() => stream.hellos > 0, 10_000);
	const hellosBefore = stream.hellos;
	const stopped = Date.now();
	cluster.stop();
	const down = await reader.get('/api/summary?date=2020-02-26').catch(() => null);
	await sleep(1000);
	cluster.start();
	const up = Date.now();
	let recoveredMs: number | null = null;
	while (Date.now() - up < 20_000) {
		const response = await reader.get('/api/summary?date=2020-02-27').catch(() => null);
		if (response?.status === 200) {
			recoveredMs = Date.now() - up;
			break;
		}
		await sleep(50);
	}
	table.add(
		'faults',
		`PostgreSQL restarted (down ${((up - stopped) / 1000).toFixed(1)} s; answer while down: ${down?.status ?? 'none'}): first answer after it is up`,
		'PostGIS (own cluster)',
		recoveredMs === null ? 'none in 20 s' : `${recoveredMs} ms`,
		'< 10,000 ms',
		recoveredMs !== null && recoveredMs < 10_000
	);
	const downBody = down ? await down.text() : '';
	table.add(
		'faults',
		'PostgreSQL restarted: the answer while it is down',
		'PostGIS (own cluster)',
		down ? `${down.status}: ${downBody.slice(0, 60)}` : 'no answer',
		'503 with words, no 500',
		down?.status === 503 && /数据库暂时无法连接/.test(downBody)
	);
	await checkStreamAfterRestart(
		table,
		'PostGIS (own cluster)',
		'PostgreSQL restarted',
		stream,
		writer,
		10_000,
		hellosBefore
	);
	await stream.stop();
}
