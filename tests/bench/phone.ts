/**
 * Benchmark: the grid workspace's first visit on a phone over throttled 3G (issue #18, item 5):
 * "the workspace, its lists and forms must be usable after ≤ 200 KB on a first visit (the map's
 * code loads when the map is shown), and open from the cache afterwards".
 *
 * - The built app on a copy of the seeded embedded database; the grid leader `demo-grid` (the one
 *   the capture e2e tests sign in) opens /grid/0502 in a brand-new browser context (empty cache),
 *   375×812, isMobile, hasTouch. The session cookie comes from a sign-in made outside the browser,
 *   so the sign-in page does not warm the cache: the first request the browser makes is the page.
 * - Network: Chromium's emulation (CDP `Network.emulateNetworkConditions`) on the page and on every
 *   worker it starts (MapLibre's, and the service worker where Chromium attaches it to the page),
 *   with DevTools' own presets (front_end/core/sdk/NetworkManager.ts):
 *     "3G" (`Slow3GConditions`, called "Slow 3G" before DevTools renamed the presets in May 2024):
 *       latency 400 × 5 = 2,000 ms, down and up 500 kbit/s × 0.8 = 50,000 B/s — the default;
 *     "Fast 3G" (`Fast3GConditions`, now DevTools' "Slow 4G"): latency 150 × 3.75 = 562.5 ms,
 *       down 1.6 Mbit/s × 0.9 = 180,000 B/s, up 750 kbit/s × 0.9 = 84,375 B/s.
 *   BENCH_PHONE_PROFILES picks (comma-separated; default `3g,fast-3g`: both, "3G" first).
 * - Usable, checked in the page every 20 ms: the to-do list has hydrated (its data-ready flag, set
 *   in onMount); the returnee-registration form, opened as a tap on its summary opens it, shows its
 *   name, phone, ID number, origin and arrival fields and its submit button, each laid out, visible
 *   and enabled; the arrival field carries its default (set by the form's script: it has
 *   hydrated); and the address search box is there (the picker shows it only once GET
 *   /api/addresses has answered). Time: `performance.now()` at that moment (from navigation start).
 * - Bytes (tests/bench/bytes.ts: encodedDataLength, headers and compressed bodies, responses still
 *   in flight as far as received) from the first request until usable, split script / data
 *   (API answers, __data.json, the event stream) / other (the page, CSS, fonts, icons), and split
 *   again into what had fully arrived and what was still arriving alongside (the map's code, which
 *   the page imports once it has hydrated, shares the line with the address list).
 * - Then the map: when it first draws (its data-rendered key set), and the bytes once the network
 *   has been quiet for a second after that (its worker script and layers can still be arriving
 *   when it first draws): all a first visit downloads. MapLibre's worker script is counted where
 *   the service worker's session reports it, else measured outside the browser as in wall.ts.
 * - Second visit: a reload in the same context, once the first has gone quiet (HTTP cache and
 *   service worker as the first visit left them), bytes and time to usable again; with the page's
 *   own timings of the document and the address list (both fetched by the service worker: each
 *   takes at least the profile's latency when the throttle reaches the worker's fetches).
 * - Baseline, "today's figure", measured in the same run on the same machine: the commit before the
 *   map was deferred (8b87886^, where the page imported GridMap, MapLibre and deck.gl, statically).
 *   BENCH_PHONE_BASE is a checkout of it, built (`npx vite build` there); it is started by its own
 *   scripts/start.js on a database of its own (its schema is older), which its first start seeds
 *   with the demo (GRIDWATCH_DEMO=1; once, kept in BENCH_PHONE_BASE/data/bench-phone-seeded, copied
 *   per run). Its page has the same form and test ids, so "usable" is checked the same way.
 *
 *   git worktree add /work/wt-phone-base 8b87886^
 *   ln -s "$PWD/node_modules" /work/wt-phone-base/node_modules     # package.json is the same
 *   (cd /work/wt-phone-base && node scripts/i18n.js && npx vite build)
 *   npm run build && BENCH_PHONE_BASE=/work/wt-phone-base npm run bench:phone
 *
 * Writes bench-results/phone.json. Without BENCH_PHONE_BASE only this checkout is measured.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { freePort, startServer, type RunningServer } from '../support/server';
import { copySeededPglite } from '../support/seeded-pglite';
import { launchBrowser } from '../e2e/browser';
import { Client } from '../support/http';
import { ByteCounter, wireBytes, type ByteTally, type RequestBytes } from './bytes';
import { round } from './stats';

const ROOT = resolve(import.meta.dirname, '../..');
const GRID = '0502';
const USER = 'demo-grid';
/** The budget the issue sets for a first visit, to the usable form. */
const BUDGET_BYTES = 200_000;
/** What the issue measured before: bytes of a first visit to /grid/0502, and their script. */
const ISSUE_FIGURE = { total: 594_000, script: 494_000 };
const PHONE = {
	viewport: { width: 375, height: 812 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};
/** What Chromium sends (bytes.ts, wall.ts). */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
/** Each wait's limit: 600 KB at 50 KB/s is 12 s of transfer alone, plus 2 s a round trip. */
const USABLE_TIMEOUT = 180_000;
const MAP_TIMEOUT = 240_000;
/** After the map has drawn: how long to wait at most for the rest (its worker, its layers) to arrive. */
const QUIET_TIMEOUT = 90_000;

interface Profile {
	key: string;
	name: string;
	source: string;
	conditions: {
		offline: false;
		latency: number;
		downloadThroughput: number;
		uploadThroughput: number;
		connectionType: 'cellular3g';
	};
}

/** DevTools' presets, as front_end/core/sdk/NetworkManager.ts defines them. */
const PROFILES: Record<string, Profile> = {
	'3g': {
		key: '3g',
		name: 'DevTools "3G" (Slow 3G before May 2024)',
		source:
			'Slow3GConditions: latency 400*5 ms, download 500*1000/8*.8 B/s, upload 500*1000/8*.8 B/s',
		conditions: {
			offline: false,
			latency: 400 * 5,
			downloadThroughput: ((500 * 1000) / 8) * 0.8,
			uploadThroughput: ((500 * 1000) / 8) * 0.8,
			connectionType: 'cellular3g'
		}
	},
	'fast-3g': {
		key: 'fast-3g',
		name: 'DevTools "Fast 3G" (Slow 4G since May 2024)',
		source:
			'Fast3GConditions: latency 150*3.75 ms, download 1.6*1000*1000/8*.9 B/s, upload 750*1000/8*.9 B/s',
		conditions: {
			offline: false,
			latency: 150 * 3.75,
			downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
			uploadThroughput: ((750 * 1000) / 8) * 0.9,
			connectionType: 'cellular3g'
		}
	}
};

const USABLE_DEFINITION =
	'the to-do list hydrated (gap-list data-ready); the returnee form, opened as a tap on its summary opens it, ' +
	'shows name, phone, ID number, origin, arrival and submit, laid out, visible and enabled; the arrival field ' +
	'has its default (the form hydrated); the address search box is shown (GET /api/addresses answered)';

/**
 * In the page: the moment (performance.now()) the workspace is usable, or false. Runs as a string
 * in the page, so it uses nothing from this module.
 */
function usableNow(): number | false {
	const shown = (e: Element | null | undefined): e is HTMLElement =>
		!!e &&
		(e as HTMLElement).getClientRects().length > 0 &&
		getComputedStyle(e).visibility !== 'hidden' &&
		getComputedStyle(e).display !== 'none';
	if (!document.querySelector('[data-testid="todo"] [data-testid="gap-list"][data-ready="true"]'))
		return false;
	const details = document.querySelector<HTMLDetailsElement>('[data-testid="capture-returnee"]');
	if (!details || !shown(details.querySelector('summary'))) return false;
	// What a tap on 登记返回人员 does.
	details.open = true;
	const form = details.querySelector('[data-testid="returnee-form"]');
	if (!form) return false;
	const ids = ['name', 'phone', 'id', 'origin', 'arrived', 'submit'].map((f) => `returnee-${f}`);
	for (const id of [...ids, 'address-search']) {
		const field = form.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
		if (!shown(field) || field.disabled) return false;
	}
	const arrived = form.querySelector<HTMLInputElement>('[data-testid="returnee-arrived"]');
	if (!arrived?.value) return false;
	return performance.now();
}

function mapDrawnNow(): number | false {
	const map = document.querySelector('[data-testid="grid-map"] [data-testid="map"]');
	return map?.getAttribute('data-rendered') ? performance.now() : false;
}

/**
 * Applies the profile to the page's session, and to each worker Chromium attaches to it (the
 * ByteCounter asks for them, non-flat; this listener is registered after the counter's, so its
 * message reaches the worker before the counter lets it run).
 */
async function throttle(cdp: CDPSession, profile: Profile, attached: string[]) {
	await cdp.send('Network.emulateNetworkConditions', profile.conditions);
	let id = 100_000;
	cdp.on(
		'Target.attachedToTarget',
		(event: { sessionId: string; targetInfo: { type: string; url: string } }) => {
			attached.push(`${event.targetInfo.type} ${event.targetInfo.url}`);
			void cdp
				.send('Target.sendMessageToTarget', {
					sessionId: event.sessionId,
					message: JSON.stringify({
						id: ++id,
						method: 'Network.emulateNetworkConditions',
						params: profile.conditions
					})
				})
				.catch(() => {});
		}
	);
}

/** Starts a checkout's built app (its own scripts/start.js) — startServer, for another folder. */
async function startAt(
	dir: string,
	env: Record<string, string>,
	timeoutMs = 300_000
): Promise<RunningServer> {
	const port = await freePort();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		cwd: dir,
		env: {
			...process.env,
			DATABASE_URL: '',
			GRIDWATCH_CLI: '',
			...env,
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(
			() => (child.kill('SIGTERM'), fail(new Error(`server did not start in ${timeoutMs} ms`))),
			timeoutMs
		);
		child.on('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`server exited with ${code}:\n${output.slice(-4000)}`));
		});
		const poll = setInterval(() => {
			if (output.includes('Gridwatch is ready')) {
				clearInterval(poll);
				clearTimeout(timer);
				done();
			}
		}, 50);
	});
	return {
		url: `http://127.0.0.1:${port}`,
		process: child,
		output: () => output,
		stop: () =>
			new Promise((done) => {
				if (child.exitCode !== null) return done();
				child.once('exit', () => done());
				child.kill('SIGTERM');
			})
	};
}

/** The baseline's database: seeded by its own first start once, then copied for each run. */
async function baselineDataDir(base: string): Promise<string> {
	const seeded = join(base, 'data/bench-phone-seeded');
	if (!existsSync(join(seeded, 'PG_VERSION'))) {
		const building = `${seeded}.building-${process.pid}`;
		rmSync(building, { recursive: true, force: true });
		mkdirSync(building, { recursive: true });
		const started = Date.now();
		console.log(`baseline: seeding its database (first start of ${base}) …`);
		const server = await startAt(base, { GRIDWATCH_DATA_DIR: building, GRIDWATCH_DEMO: '1' });
		await server.stop();
		rmSync(seeded, { recursive: true, force: true });
		cpSync(building, seeded, { recursive: true });
		rmSync(building, { recursive: true, force: true });
		console.log(`baseline: seeded in ${round((Date.now() - started) / 1000)} s`);
	}
	const run = join(base, `data/bench-phone-run-${process.pid}`);
	rmSync(run, { recursive: true, force: true });
	cpSync(seeded, run, { recursive: true });
	return run;
}

const pick = ({ url, kind, status, bytes, finished }: RequestBytes, origin: string) => ({
	url: url.replace(origin, ''),
	kind,
	status,
	bytes,
	finished
});

interface Visit {
	usableMs: number;
	bytes: ByteTally;
	requests: ReturnType<typeof pick>[];
}

function tallyOf(requests: RequestBytes[]): ByteTally {
	const tally: ByteTally = { total: 0, script: 0, data: 0, other: 0 };
	for (const r of requests) {
		tally[r.kind] += r.bytes;
		tally.total += r.bytes;
	}
	return tally;
}

/**
 * Requests still arriving, leaving out the event stream (it never ends) and a worker script's
 * entry without a response (Chromium reports MapLibre's worker script so: its bytes are counted
 * where another session answered it, or refetched outside the browser).
 */
function loading(counter: ByteCounter): RequestBytes[] {
	return counter
		.requests()
		.filter(
			(r) =>
				!r.finished &&
				!r.url.includes('/api/events') &&
				!(r.status === null && r.url.includes('/_app/immutable/workers/'))
		);
}

/** Waits until nothing has been arriving for a second (at most `timeout` ms); the page's clock then. */
async function quiet(page: Page, counter: ByteCounter, timeout: number) {
	const limit = Date.now() + timeout;
	let calmSince = Date.now();
	let last = counter.tally().total;
	while (Date.now() < limit) {
		await page.waitForTimeout(100);
		const total = counter.tally().total;
		if (loading(counter).length > 0 || total !== last) calmSince = Date.now();
		last = total;
		if (Date.now() - calmSince >= 1000) break;
	}
	const pageNow = (await page.evaluate(() => performance.now())) as number;
	return {
		atMs: pageNow - (Date.now() - calmSince),
		stillLoading: loading(counter).map((r) => r.url.replace(/^https?:\/\/[^/]+/, ''))
	};
}

/** Resolves with the page's performance.now() once `check` holds. */
async function until(page: Page, check: () => number | false, timeout: number): Promise<number> {
	const handle = await page.waitForFunction(check, null, { timeout, polling: 20 });
	return (await handle.jsonValue()) as number;
}

/** One target (this checkout or the baseline), one profile: first visit, map drawn, second visit. */
async function measure(browser: Browser, baseUrl: string, profile: Profile) {
	const signIn = new Client(baseUrl);
	await signIn.signInAsDemo(USER);
	const context = await browser.newContext(PHONE);
	await context.addCookies(
		signIn.cookie
			.split('; ')
			.filter(Boolean)
			.map((pair) => {
				const at = pair.indexOf('=');
				return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
			})
	);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	const cdp = await context.newCDPSession(page);
	const counter = await ByteCounter.attach(cdp);
	const workers: string[] = [];
	await throttle(cdp, profile, workers);
	// Where the page's responses came from (the page's own session: the service worker's fetches
	// are counted by bytes through its target, not here), by visit.
	let visit: 'first' | 'second' = 'first';
	const sources = {
		first: { network: 0, serviceWorker: 0, cache: 0 },
		second: { network: 0, serviceWorker: 0, cache: 0 }
	};
	cdp.on(
		'Network.responseReceived',
		(e: { response: { url: string; fromServiceWorker?: boolean; fromDiskCache?: boolean } }) => {
			if (!e.response.url.startsWith(baseUrl)) return;
			const tally = sources[visit];
			if (e.response.fromServiceWorker) tally.serviceWorker++;
			else if (e.response.fromDiskCache) tally.cache++;
			else tally.network++;
		}
	);
	const url = `${baseUrl}/grid/${GRID}`;

	// First visit, to the usable form.
	await page.goto(url, { waitUntil: 'commit', timeout: USABLE_TIMEOUT });
	const usableMs = await until(page, usableNow, USABLE_TIMEOUT);
	const atUsable = counter.requests();
	const first: Visit & { finishedAtUsable: ByteTally; inFlightAtUsable: ByteTally } = {
		usableMs: round(usableMs),
		bytes: counter.tally(),
		// What had fully arrived by then, and what was still arriving alongside (the map's code, once
		// the page imports it; the event stream): the split moves with timing, the sum is what came.
		finishedAtUsable: tallyOf(atUsable.filter((r) => r.finished)),
		inFlightAtUsable: tallyOf(atUsable.filter((r) => !r.finished)),
		requests: atUsable.map((r) => pick(r, baseUrl))
	};

	// … and on until the map has drawn; then until the network is quiet (the map's worker script and
	// its data layers may still be arriving when it first draws).
	const mapDrawnMs = await until(page, mapDrawnNow, MAP_TIMEOUT);
	const atMapDrawn = counter.tally();
	const settled = await quiet(page, counter, QUIET_TIMEOUT);
	const seen = counter.tally();
	// A worker script Chromium reports without a response: measured outside the browser, unless
	// another session (the service worker's, which fetched it for the page) counted it.
	const answered = new Set(
		counter
			.requests()
			.filter((r) => r.status !== null && r.bytes > 0)
			.map((r) => r.url)
	);
	const workerScripts = await Promise.all(
		[...new Set(counter.unanswered().map((r) => r.url))]
			.filter((u) => u.startsWith(baseUrl) && !answered.has(u))
			.map(async (u) => ({
				url: u.replace(baseUrl, ''),
				bytes: await wireBytes(u, { 'accept-encoding': ACCEPT_ENCODING, cookie: signIn.cookie })
			}))
	);
	const workerBytes = workerScripts.reduce((sum, w) => sum + w.bytes, 0);
	const mapDrawn = {
		mapDrawnMs: round(mapDrawnMs),
		bytesWhenDrawn: atMapDrawn,
		loadedMs: round(settled.atMs),
		stillLoadingAfterWait: settled.stillLoading,
		bytes: { ...seen, total: seen.total + workerBytes, script: seen.script + workerBytes },
		workerScriptsRefetched: workerScripts,
		requests: counter.requests().map((r) => pick(r, baseUrl))
	};
	// Let the service worker keep what it keeps in the background before the page goes.
	await page.waitForTimeout(1000);

	// Second visit: a reload in the same context.
	const before = counter.tally();
	visit = 'second';
	const seenBefore = counter.requests().length;
	await page.reload({ waitUntil: 'commit', timeout: USABLE_TIMEOUT });
	const againMs = await until(page, usableNow, USABLE_TIMEOUT);
	const second: Visit = {
		usableMs: round(againMs),
		bytes: counter.since(before),
		requests: counter
			.requests()
			.slice(seenBefore)
			.map((r) => pick(r, baseUrl))
	};
	// Whether the throttle reached what the service worker fetched for the page: the page's own
	// timings of the document and of the address list, each at least the profile's latency if so.
	const secondTimings = await page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
		const list = performance
			.getEntriesByType('resource')
			.find((e) => e.name.includes('/api/addresses')) as PerformanceResourceTiming | undefined;
		return {
			controlledByServiceWorker: !!navigator.serviceWorker?.controller,
			documentMs: Math.round(nav.responseEnd - nav.startTime),
			addressesMs: list ? Math.round(list.responseEnd - list.startTime) : null
		};
	});
	await context.close();
	return {
		firstVisit: { ...first, withinBudget: first.bytes.total <= BUDGET_BYTES },
		mapDrawn,
		secondVisit: { ...second, ...secondTimings },
		pageResponsesFrom: sources,
		workersAttached: workers,
		errors
	};
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const split = (t: ByteTally) =>
	`${kb(t.total)} (script ${kb(t.script)}, data ${kb(t.data)}, other ${kb(t.other)})`;

export async function main(): Promise<number> {
	const runStarted = Date.now();
	const profiles = (process.env.BENCH_PHONE_PROFILES ?? '3g,fast-3g').split(',').map((key) => {
		const profile = PROFILES[key.trim()];
		if (!profile) throw new Error(`unknown profile ${key}: one of ${Object.keys(PROFILES)}`);
		return profile;
	});
	const base = process.env.BENCH_PHONE_BASE ? resolve(process.env.BENCH_PHONE_BASE) : null;
	if (base && !existsSync(join(base, 'build/handler.js')))
		throw new Error(`${base} has no build: run \`npx vite build\` there first`);
	if (!existsSync(join(ROOT, 'build/handler.js')))
		throw new Error('no build here: run `npm run build` first');
	const commit = async (dir: string) =>
		new Promise<string>((done) => {
			const git = spawn('git', ['-C', dir, 'log', '-1', '--format=%h %s'], {
				stdio: ['ignore', 'pipe', 'ignore']
			});
			let out = '';
			git.stdout.on('data', (c) => (out += c));
			git.on('exit', () => done(out.trim().slice(0, 100)));
			git.on('error', () => done(''));
		});

	/** When the build measured was made: it is of the working tree then, not necessarily of the commit. */
	const built = (dir: string) => statSync(join(dir, 'build/handler.js')).mtime.toISOString();
	const targets: {
		name: string;
		dir: string;
		commit: string;
		built: string;
		usable: string;
	}[] = [
		{
			name: 'this checkout',
			dir: ROOT,
			commit: await commit(ROOT),
			built: built(ROOT),
			usable: USABLE_DEFINITION
		}
	];
	if (base)
		targets.push({
			name: 'baseline (before the map was deferred)',
			dir: base,
			commit: await commit(base),
			built: built(base),
			usable: `${USABLE_DEFINITION} (the same form and test ids on the baseline's page)`
		});

	const browser = await launchBrowser();
	const results: Record<string, unknown>[] = [];
	try {
		for (const target of targets) {
			const dataDir =
				target.dir === ROOT ? await copySeededPglite('bench-phone') : await baselineDataDir(base!);
			const env = { GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_DEMO: '1' };
			const server = await (
				target.dir === ROOT ? startServer(env) : startAt(target.dir, env)
			).catch((error: unknown) => {
				rmSync(dataDir, { recursive: true, force: true });
				throw error;
			});
			try {
				for (const profile of profiles) {
					const started = Date.now();
					console.log(`${target.name} (${target.commit}), ${profile.name} …`);
					const measured = await measure(browser, server.url, profile);
					console.log(
						`  first visit: usable at ${measured.firstVisit.usableMs} ms after ${split(measured.firstVisit.bytes)} ` +
							`(${kb(measured.firstVisit.finishedAtUsable.total)} finished, ${kb(measured.firstVisit.inFlightAtUsable.total)} in flight); ` +
							`map drawn at ${measured.mapDrawn.mapDrawnMs} ms, all loaded at ${measured.mapDrawn.loadedMs} ms: ${split(measured.mapDrawn.bytes)}; ` +
							`second visit: usable at ${measured.secondVisit.usableMs} ms after ${split(measured.secondVisit.bytes)} ` +
							`(${round((Date.now() - started) / 1000)} s)`
					);
					results.push({
						target: target.name,
						commit: target.commit,
						built: target.built,
						profile: profile.key,
						usable: target.usable,
						...measured
					});
				}
			} finally {
				await server.stop();
				rmSync(dataDir, { recursive: true, force: true });
			}
		}
	} finally {
		await browser.close();
	}

	const rows = results.map((r) => {
		const m = r as unknown as Awaited<ReturnType<typeof measure>> & {
			target: string;
			profile: string;
		};
		return {
			target: m.target,
			profile: m.profile,
			'first visit: bytes to usable': split(m.firstVisit.bytes),
			'ms to usable': m.firstVisit.usableMs,
			'ms to map drawn': m.mapDrawn.mapDrawnMs,
			'first visit: all bytes (map loaded)': split(m.mapDrawn.bytes),
			'second visit: bytes to usable': split(m.secondVisit.bytes),
			'second visit: ms to usable': m.secondVisit.usableMs
		};
	});
	console.table(rows);
	const output = {
		date: new Date().toISOString(),
		cpus: cpus().length,
		browser: 'Debian Chromium, headless, SwiftShader WebGL',
		device: PHONE,
		page: `/grid/${GRID} as ${USER}`,
		profiles: profiles.map(({ key, name, source, conditions }) => ({
			key,
			name,
			source,
			conditions
		})),
		usable: USABLE_DEFINITION,
		budgetBytes: BUDGET_BYTES,
		issueFigure: {
			...ISSUE_FIGURE,
			what: 'issue #18 item 5: a first visit to /grid/0502 (“about 594 KB, 494 KB of it script”)'
		},
		bytesCounted:
			'tests/bench/bytes.ts: encodedDataLength (headers + body as sent), in-flight responses as far as received; 1 KB = 1,000 bytes',
		runSeconds: round((Date.now() - runStarted) / 1000),
		summary: rows,
		results
	};
	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/phone.json', JSON.stringify(output, null, 2));
	console.log(`bench-results/phone.json written (${output.runSeconds} s)`);
	return 0;
}
