/**
 * Benchmark: the wall screen in headless Chromium (SwiftShader WebGL, 1920×1080).
 *
 * - First visit: a wall link (made by an administrator) opened in a brand-new browser context — empty
 *   cache, no session — as a wall screen first opens it. Time from navigation start until the map
 *   has drawn and the KPI tiles show figures; every byte received from the first request until one
 *   second after that (see bytes.ts: finished requests, the still-open event stream, 304s; the
 *   worker script, which Chromium reports without a response, fetched again outside it), split
 *   into script, data (API answers) and other; cross-checked by fetching each of those addresses
 *   again with Node's HTTP client (same Accept-Encoding, same cookie) and counting the bytes read
 *   off its socket.
 * - Memory: the page's JS heap (after a forced garbage collection) once the first scene cycle has
 *   run, and again after BENCH_WALL_MINUTES (default 60) of unattended rotation (20 s scenes, the
 *   five-minute safety refresh, and a data change every 10 minutes pushed over server-sent events);
 *   with its composition from heap snapshots (compiled code vs. everything else) at both ends.
 * - Baseline: a wall that reloads the page for each scene (what a dashboard kept current by
 *   browser refresh does) — bytes per hour, from the measured cost of one reload (scripts from the
 *   browser's cache, revalidations counted); and the live wall's own bytes over the run, counted the
 *   same way (the event stream included).
 *
 * Usage: npm run build && npm run bench:wall      Writes bench-results/wall.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { startServer } from '../support/server';
import { copySeededPglite } from '../support/seeded-pglite';
import { launchBrowser } from '../e2e/browser';
import { Client } from '../support/http';
import { ByteCounter, wireBytes, type RequestBytes } from './bytes';
import { round } from './stats';

const MINUTES = Number(process.env.BENCH_WALL_MINUTES ?? 60);
const SCENE_SECONDS = 20;
/** What Chromium sends. */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** An administrator makes a wall-screen link, as on /admin/wall; returns its token. */
async function wallToken(baseUrl: string): Promise<string> {
	const admin = new Client(baseUrl);
	await admin.signInAsDemo('demo-admin');
	const created = await (
		await admin.postForm('/admin/wall?/create', { label: 'bench wall', suppressBelow: '5' })
	).text();
	const token = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)?.[1];
	if (!token) throw new Error('no wall token in the admin page');
	return token;
}

/**
 * The second method: each finished first-visit request fetched again outside the browser, bytes
 * read off the socket (headers and body as sent). The event stream never ends, so it is left out
 * of both sides of the comparison.
 */
async function refetch(requests: RequestBytes[], token: string) {
	const finished = requests.filter(
		(r) => r.finished && r.status === 200 && r.url.startsWith('http')
	);
	let wire = 0;
	for (const request of finished)
		wire += await wireBytes(request.url, {
			'accept-encoding': ACCEPT_ENCODING,
			cookie: `gw_wall=${token}`
		});
	return {
		method:
			"each finished request fetched again with Node's HTTP client (Accept-Encoding as Chromium's, the wall cookie), bytes read off the socket",
		requests: finished.length,
		refetchedBytes: wire,
		counterBytes: finished.reduce((sum, r) => sum + r.bytes, 0),
		leftOut: requests
			.filter((r) => !finished.includes(r))
			.map((r) => ({ url: r.url.replace(token, 'TOKEN'), status: r.status, bytes: r.bytes }))
	};
}

export async function main(): Promise<number> {
	const dataDir = await copySeededPglite('bench-wall');
	const server = await startServer({ GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_DEMO: '1' });
	const browser = await launchBrowser();
	try {
		const token = await wallToken(server.url);
		// A new context: its own empty cache and no cookies, as a wall screen's browser opening the link.
		const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		const counter = await ByteCounter.attach(cdp);
		await cdp.send('Performance.enable');

		/** The heap split by what V8 keeps: compiled code (JIT output, metadata) vs. everything else (objects, strings, arrays, DOM wrappers). */
		const composition = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			const chunks: string[] = [];
			const onChunk = (event: { chunk: string }) => chunks.push(event.chunk);
			cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
			await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
			cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
			const snapshot = JSON.parse(chunks.join('')) as {
				snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
				nodes: number[];
			};
			const fields = snapshot.snapshot.meta.node_fields;
			const types = snapshot.snapshot.meta.node_types[0];
			const [typeAt, sizeAt, width] = [
				fields.indexOf('type'),
				fields.indexOf('self_size'),
				fields.length
			];
			let code = 0;
			let other = 0;
			for (let i = 0; i < snapshot.nodes.length; i += width) {
				if (types[snapshot.nodes[i + typeAt]] === 'code') code += snapshot.nodes[i + sizeAt];
				else other += snapshot.nodes[i + sizeAt];
			}
			return { codeMb: round(code / 1e6), otherMb: round(other / 1e6) };
		};
		/**
		 * The heap at rest: the least of three readings, each after a full garbage collection, three
		 * seconds apart — so a fetch or redraw in flight at the moment of a reading (a pushed update,
		 * the five-minute refresh) is not counted as memory kept.
		 */
		const heap = async () => {
			let least = Infinity;
			for (let k = 0; k < 3; k++) {
				if (k > 0) await page.waitForTimeout(3000);
				await cdp.send('HeapProfiler.collectGarbage');
				const { metrics } = (await cdp.send('Performance.getMetrics')) as {
					metrics: { name: string; value: number }[];
				};
				least = Math.min(least, metrics.find((m) => m.name === 'JSHeapUsedSize')!.value);
			}
			return least;
		};

		// First visit, first full render.
		await page.goto(`${server.url}/wall?wall_token=${token}&seconds=${SCENE_SECONDS}`);
		await page.waitForFunction(
			() =>
				!!document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered') &&
				/\d/.test(
					document.querySelector('[data-testid="kpi-coverage"] [data-testid="kpi-value"]')
						?.textContent ?? ''
				),
			null,
			{ timeout: 120_000, polling: 20 }
		);
		const firstRenderMs = await page.evaluate(() => performance.now());
		await page.waitForTimeout(1000);
		const seen = counter.tally();
		const firstVisitRequests = counter.requests();
		// MapLibre's worker script: Chromium reports it with no response (bytes.ts); measured outside the browser.
		const workerScripts = await Promise.all(
			counter.unanswered().map(async (r) => ({
				url: r.url,
				bytes: await wireBytes(r.url, {
					'accept-encoding': ACCEPT_ENCODING,
					cookie: `gw_wall=${token}`
				})
			}))
		);
		const workerBytes = workerScripts.reduce((sum, w) => sum + w.bytes, 0);
		const firstVisit = {
			...seen,
			total: seen.total + workerBytes,
			script: seen.script + workerBytes
		};
		const crossCheck = await refetch(firstVisitRequests, token);

		// Baseline: one full reload of the page to the same drawn state.
		const beforeReload = counter.tally();
		const reloadStarted = performance.now();
		await page.reload();
		await page.waitForFunction(
			() => !!document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered'),
			null,
			{ timeout: 120_000 }
		);
		const reloadMs = performance.now() - reloadStarted;
		await page.waitForTimeout(1000);
		const reloadBytes = counter.since(beforeReload).total;

		// Let one cycle of scenes run, then take the starting heap.
		const scenes = await page.evaluate(() =>
			Number(document.querySelector('footer span')?.textContent?.match(/\/(\d+)/)?.[1] ?? 0)
		);
		// BENCH_WALL_WARMUP_MINUTES: rotate this long before the starting reading instead (V8 keeps
		// compiling the scene code for the first quarter hour or so; growth after that is what stays).
		const warmupMinutes = process.env.BENCH_WALL_WARMUP_MINUTES
			? Number(process.env.BENCH_WALL_WARMUP_MINUTES)
			: null;
		const warmup = Number(process.env.BENCH_WALL_WARMUP_SCENES ?? scenes);
		const firstCycleHeap = await (async () => {
			await page.waitForTimeout(Math.min(warmup, 30) * SCENE_SECONDS * 1000 + 2000);
			return heap();
		})();
		// The starting composition is taken here, before the warm-up, not with the starting heap, so that
		// whatever a heap snapshot disturbs in V8 has settled before the hour is measured.
		const compositionStart = await composition();
		if (warmupMinutes) await page.waitForTimeout(warmupMinutes * 60_000);
		const heapStart = await heap();
		const beforeLive = counter.tally();

		// Unattended rotation; a data change every 10 minutes.
		const writer = new Client(server.url);
		await writer.signInAsDemo('demo-grid');
		const persons = (await (await writer.get('/api/persons?grid=0502')).json()).persons as {
			id: number;
		}[];
		const samples: { minute: number; heapMb: number; scene: string }[] = [];
		const started = Date.now();
		for (let minute = 1; minute <= MINUTES; minute++) {
			await page.waitForTimeout(Math.max(0, started + minute * 60_000 - Date.now()));
			if (minute % 10 === 0) {
				await writer.request('/api/screenings', {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: server.url },
					body: JSON.stringify({ personId: persons[minute % persons.length].id })
				});
			}
			if (minute % 5 === 0 || minute === MINUTES) {
				// Let a pushed update land and redraw before reading.
				await page.waitForTimeout(15_000);
				// Read through the CDP session, not a Playwright locator: a locator installs Playwright's
				// injected script in the page, whose heap this reading would then count as the wall's.
				const { result } = (await cdp.send('Runtime.evaluate', {
					expression: `document.querySelector('[data-testid="wall-scene"]')?.textContent ?? ''`,
					returnByValue: true
				})) as { result: { value: string } };
				const scene = result.value;
				samples.push({ minute, heapMb: round((await heap()) / 1e6), scene });
				console.log(`minute ${minute}: heap ${samples.at(-1)!.heapMb} MB, scene ${scene}`);
			}
		}
		const heapEnd = await heap();
		const compositionEnd = await composition();
		const half = samples.find((x) => x.minute === Math.round(MINUTES / 2));
		const liveBytes = counter.since(beforeLive).total;
		const reloadsPerHour = 3600 / SCENE_SECONDS;
		const results = {
			date: new Date().toISOString(),
			cpus: (await import('node:os')).cpus().length,
			browser: 'Debian Chromium, headless, SwiftShader WebGL, 1920×1080',
			firstRenderMs: round(firstRenderMs),
			firstVisit: {
				what: 'a wall link opened in a new browser context (empty cache): every byte received until 1 s after the first full render',
				bytes: firstVisit,
				workerScriptsRefetched: workerScripts,
				requests: firstVisitRequests.length,
				crossCheck,
				byRequest: firstVisitRequests.map(({ url, kind, status, bytes, finished }) => ({
					url: url.replace(token, 'TOKEN'),
					kind,
					status,
					bytes,
					finished
				}))
			},
			minutes: MINUTES,
			sceneSeconds: SCENE_SECONDS,
			scenesInCycle: scenes,
			heapStartMb: round(heapStart / 1e6),
			heapEndMb: round(heapEnd / 1e6),
			heapGrowthPct: round(((heapEnd - heapStart) / heapStart) * 100),
			warmupMinutes,
			heapAfterFirstCycleMb: round(firstCycleHeap / 1e6),
			heapGrowthFromFirstCyclePct: round(((heapEnd - firstCycleHeap) / firstCycleHeap) * 100),
			// Where the growth is: V8's compiled code grows while the JIT warms up and then levels off; a leak shows in the rest.
			// `start` is after the first scene cycle (before any warm-up), `end` after the run.
			heapComposition: { start: compositionStart, end: compositionEnd },
			heapGrowthSecondHalfPct: half
				? round(((heapEnd / 1e6 - half.heapMb) / half.heapMb) * 100)
				: null,
			samples,
			liveBytesOverRun: liveBytes,
			liveBytesPerHour: Math.round((liveBytes / MINUTES) * 60),
			baseline: {
				what: 'reload the page for every scene',
				reloadMs: round(reloadMs),
				bytesPerReload: reloadBytes,
				bytesPerHour: reloadBytes * reloadsPerHour
			}
		};
		mkdirSync('bench-results', { recursive: true });
		writeFileSync('bench-results/wall.json', JSON.stringify(results, null, 2));
		console.log(JSON.stringify(results, null, 2));
		return 0;
	} finally {
		await browser.close();
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
