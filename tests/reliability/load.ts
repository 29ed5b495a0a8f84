/**
 * Load: 50 event-stream clients (half signed-in leaders, half wall-screen links) and 20 mixed API
 * requests a second (map, summary, trend, gaps and layers read by a leader; one screening written
 * by the grid leader every 4 s, on the clock's day as in the field), for a set duration. Errors, p99 latency, the server's live heap and
 * resident memory after a full collection at the end of the warm-up and at the end, and whether every stream
 * client received every write's change.
 */
import type { RunningServer } from '../support/server';
import {
	heapAfterGc,
	mb,
	percentile,
	personsOf,
	postJson,
	sleep,
	StreamClient,
	waitFor,
	type Identities,
	type Table
} from './harness';

const STREAMS = 50;
const REQUESTS_PER_SECOND = 20;
const WRITE_EVERY_MS = 4000;
/**
 * Memory is compared from the end of the warm-up — bounded caches filled (the open-gap counts keep 64 moments), code
 * compiled — to the end: half of a bounded run, a third of a longer one, at least 20 s.
 */
const warmupMs = (durationMs: number) =>
	Math.max(20_000, durationMs <= 60_000 ? durationMs / 2 : durationMs / 3);

const DAYS = Array.from({ length: 28 }, (_, i) => `2020-02-${String(i + 1).padStart(2, '0')}`);
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
const READS: (() => string)[] = [
	() => `/api/areas?level=grid&date=${pick(DAYS)}`,
	() => `/api/areas?level=community&date=${pick(DAYS)}`,
	() => `/api/summary?date=${pick(DAYS)}`,
	() => `/api/trend?date=${pick(DAYS)}&days=14`,
	() => `/api/gaps?grid=${pick(['0502', '1203', '0101', '0202'])}`,
	() => `/api/layers/checkpoints?date=${pick(DAYS)}&shift=${pick(['day', 'evening', 'night'])}`,
	() => `/api/layers/enterprises?date=${pick(DAYS)}`,
	() => `/api/layers/projects?date=${pick(DAYS)}`
];

export async function loadPhase(
	table: Table,
	backend: string,
	server: RunningServer,
	who: Identities,
	durationMs: number
): Promise<void> {
	const reader = who.roles['demo-leader'];
	const writer = who.roles['demo-grid'];
	const persons = await personsOf(writer, '0502');
	const streams = Array.from(
		{ length: STREAMS },
		(_, i) => new StreamClient(server.url, i % 2 ? reader.cookie : who.wall.cookie)
	);
	await waitFor(() => streams.every((s) => s.hellos > 0), 30_000);
	const connected = streams.filter((s) => s.hellos > 0).length;

	const latencies: number[] = [];
	const writeLatencies: number[] = [];
	let errors = 0;
	const errorSamples: string[] = [];
	const expected: string[] = [];
	let writes = 0;
	const inFlight = new Set<Promise<void>>();
	const timed = (
		label: string,
		send: () => Promise<Response>,
		ok: (status: number) => boolean,
		after?: (body: unknown) => void
	) => {
		const started = performance.now();
		const task = send()
			.then(async (response) => {
				const body = await response.arrayBuffer();
				latencies.push(performance.now() - started);
				if (label.startsWith('POST')) writeLatencies.push(performance.now() - started);
				if (!ok(response.status)) {
					errors++;
					if (errorSamples.length < 5) errorSamples.push(`${label} → ${response.status}`);
				} else if (after) after(JSON.parse(new TextDecoder().decode(body)));
			})
			.catch((error) => {
				errors++;
				if (errorSamples.length < 5)
					errorSamples.push(`${label} → ${error instanceof Error ? error.message : error}`);
			})
			.finally(() => inFlight.delete(task));
		inFlight.add(task);
	};

	const started = Date.now();
	const WARMUP_MS = warmupMs(durationMs);
	let warm: Promise<Awaited<ReturnType<typeof heapAfterGc>>> | null = null;
	let nextWrite = started + 1000;
	let sent = 0;
	while (Date.now() - started < durationMs) {
		const now = Date.now();
		// Not awaited: the load keeps its schedule while the server collects and answers.
		if (!warm && now - started >= WARMUP_MS) warm = heapAfterGc(server).catch(() => null);
		if (now >= nextWrite) {
			nextWrite += WRITE_EVERY_MS;
			// As grid workers record them: on the day (the demo's clock is 28 Feb, 23:55), at a time that has passed.
			const day = DAYS[DAYS.length - 1];
			const hour = String(8 + (writes % 10)).padStart(2, '0');
			writes++;
			timed(
				'POST /api/screenings',
				() =>
					postJson(writer, '/api/screenings', {
						personId: pick(persons),
						method: 'door',
						result: 'normal',
						at: `${day}T${hour}:00:00+08:00`
					}),
				(s) => s === 201,
				() => expected.push(day)
			);
		} else {
			const path = pick(READS)();
			timed(
				`GET ${path}`,
				() => reader.get(path),
				(s) => s === 200
			);
		}
		sent++;
		// Open loop: the next request leaves on schedule whether or not the last one has answered.
		const due = started + (sent * 1000) / REQUESTS_PER_SECOND;
		await sleep(Math.max(0, due - Date.now()));
	}
	await Promise.all(inFlight);
	const afterWarmup = await warm;
	const atEnd = await heapAfterGc(server).catch(() => null);
	const elapsedS = (Date.now() - started) / 1000;

	// Every stream client must have received, in order, a change for the day of every acknowledged write.
	const receivedAll = (s: StreamClient) => {
		let at = 0;
		for (const change of s.changes)
			if (at < expected.length && change.from === expected[at] && change.grids?.includes('0502'))
				at++;
		return at === expected.length;
	};
	await waitFor(() => streams.every(receivedAll), 10_000, 100);
	const complete = streams.filter(receivedAll).length;
	const reconnects = streams.reduce((n, s) => n + Math.max(0, s.hellos - 1), 0);
	await Promise.all(streams.map((s) => s.stop()));

	const p99 = percentile(latencies, 99);
	const growth = (field: 'heapUsed' | 'rss') =>
		afterWarmup && atEnd ? (atEnd[field] - afterWarmup[field]) / afterWarmup[field] : NaN;
	const header = `${(durationMs / 1000).toFixed(0)} s`;
	table.add(
		'load',
		`errors, ${latencies.length} requests in ${elapsedS.toFixed(0)} s (${(latencies.length / elapsedS).toFixed(1)}/s, ${writes} writes)${errorSamples.length ? `: ${errorSamples.join('; ')}` : ''}`,
		backend,
		String(errors),
		'0',
		errors === 0 && latencies.length > 0
	);
	table.add(
		'load',
		'p99 latency (reads and writes)',
		backend,
		`${p99.toFixed(0)} ms (p50 ${percentile(latencies, 50).toFixed(0)} ms; writes p50 ${percentile(writeLatencies, 50).toFixed(0)}, max ${Math.max(...writeLatencies).toFixed(0)} ms)`,
		'< 500 ms',
		p99 < 500
	);
	// Both after a full collection (the heap probe): a leak is live memory that keeps growing under the same load.
	for (const [field, label] of [
		['heapUsed', 'live heap'],
		['rss', 'RSS']
	] as const) {
		const shown =
			afterWarmup && atEnd
				? `${mb(afterWarmup[field])} → ${mb(atEnd[field])} (${(growth(field) * 100).toFixed(1)} %)`
				: 'the server did not report its memory';
		table.add(
			'load',
			`server ${label} after a full GC, ${WARMUP_MS / 1000} s (warm-up) → end of ${header}`,
			backend,
			shown,
			'< 10 %',
			growth(field) < 0.1
		);
	}
	table.add(
		'load',
		`stream clients that received every change (${expected.length} writes; ${reconnects} reconnects)`,
		backend,
		`${complete}/${STREAMS} (connected ${connected})`,
		`${STREAMS}/${STREAMS}`,
		complete === STREAMS && expected.length > 0
	);
}
