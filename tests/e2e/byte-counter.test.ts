import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { ByteCounter, wireBytes } from '../bench/bytes';

/**
 * The benchmarks' byte counter against what a local server really wrote to the browser's sockets:
 * a page that loads a script (revalidated with a 304 on reload), fetches JSON and keeps a
 * server-sent event stream open — the stream never finishes, so a count of finished requests
 * alone misses its bytes.
 */
const SCRIPT = `// ${randomBytes(90_000).toString('base64')}\nwindow.scriptLoaded = true;\n`;
/** A dedicated worker's script and its fetch reach only the worker's target, not the page's (MapLibre's worker is one). */
// Its fetch waits half a second: Playwright's own session may let the worker run before the
// counter's Network.enable reaches it (see bytes.ts), and a fetch made in that instant is not seen.
const WORKER = `// ${randomBytes(45_000).toString('base64')}\nsetTimeout(() => fetch('/api/worker.json').then((r) => r.text()).then((t) => postMessage(t.length)), 500);\n`;
const WORKER_JSON = JSON.stringify({ cells: randomBytes(20_000).toString('hex') });
const JSON_BODY = JSON.stringify({
	rows: Array.from({ length: 2000 }, (_, i) => ({ i, v: randomBytes(6).toString('hex') }))
});
const EVENTS = 20;
const EVENT = `event: change\ndata: ${randomBytes(1500).toString('base64')}\n\n`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>bytes</title>
<script src="/app.js"></script>
<script>
	window.events = 0;
	new Worker('/worker.js').onmessage = () => (window.workerDone = true);
	fetch('/api/data.json').then((r) => r.json()).then(() => (window.fetched = true));
	const source = new EventSource('/api/events');
	source.addEventListener('change', () => window.events++);
</script>`;

let server: Server;
let origin = '';
const sockets: Socket[] = [];
/** Every byte the server has written to any connection so far (headers, bodies, chunk framing). */
const written = () => sockets.reduce((sum, socket) => sum + socket.bytesWritten, 0);
let browser: Browser;
/** In the page: every event received, the JSON fetched, the worker's fetch answered. */
const done = (n: number) => {
	const w = window as unknown as { events: number; fetched?: boolean; workerDone?: boolean };
	return w.events === n && !!w.fetched && !!w.workerDone;
};

beforeAll(async () => {
	server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://x').pathname;
		if (path === '/')
			return response
				.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
				.end(PAGE);
		if (path === '/app.js') {
			// Revalidated on every use: a reload answers 304, which moves headers only.
			if (request.headers['if-none-match'] === '"v1"')
				return response.writeHead(304, { etag: '"v1"' }).end();
			return response
				.writeHead(200, {
					'content-type': 'text/javascript',
					etag: '"v1"',
					'cache-control': 'no-cache'
				})
				.end(SCRIPT);
		}
		if (path === '/worker.js')
			return response.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKER);
		if (path === '/api/worker.json')
			return response.writeHead(200, { 'content-type': 'application/json' }).end(WORKER_JSON);
		if (path === '/api/data.json')
			return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON_BODY);
		if (path === '/api/events') {
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
			let sent = 0;
			const timer = setInterval(() => {
				response.write(EVENT);
				if (++sent === EVENTS) clearInterval(timer);
			}, 20);
			request.on('close', () => clearInterval(timer));
			return;
		}
		response.writeHead(404).end();
	});
	server.on('connection', (socket) => sockets.push(socket));
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	server.closeAllConnections();
	await new Promise((done) => server.close(done));
});

describe('the benchmarks’ byte counter (CDP encodedDataLength)', () => {
	it('counts every byte the server sent: the script, a worker’s script and fetch, the JSON, the open event stream, and a reload’s 304', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		const counter = await ByteCounter.attach(await context.newCDPSession(page));

		await page.goto(origin);
		await page.waitForFunction(done, EVENTS);
		// Let the last chunks' network events reach the session.
		await page.waitForTimeout(300);
		const sent = written();
		const first = counter.tally();
		const stream = counter.requests().find((r) => r.url.endsWith('/api/events'))!;

		// The stream is still open and its bytes are counted: at least the events' text.
		expect(stream.finished).toBe(false);
		expect(stream.bytes).toBeGreaterThanOrEqual(EVENTS * EVENT.length);
		// Counting finished requests only (the old way) falls short of what was sent by the stream's bytes.
		const finishedOnly = counter
			.requests()
			.filter((r) => r.finished)
			.reduce((sum, r) => sum + r.bytes, 0);
		expect(finishedOnly).toBeLessThanOrEqual(sent - EVENTS * EVENT.length);
		// Chromium reports the worker's script with no response: it is listed, and measured on its own.
		const unanswered = counter.unanswered();
		expect(unanswered.map((r) => new URL(r.url).pathname)).toEqual(['/worker.js']);
		const workerScript = await wireBytes(unanswered[0].url, {});
		expect(workerScript).toBeGreaterThan(WORKER.length);
		// Everything the server wrote, counted: headers, bodies, chunk framing (within 1 %; the
		// worker script refetched above is in `written()` twice, so it is taken off once).
		const sentToBrowser = written() - workerScript;
		expect(sent).toBeGreaterThanOrEqual(sentToBrowser - 1);
		expect(first.total + workerScript).toBeGreaterThanOrEqual(Math.floor(sentToBrowser * 0.99));
		expect(first.total + workerScript).toBeLessThanOrEqual(Math.ceil(sentToBrowser * 1.01));
		expect(first.script).toBeGreaterThanOrEqual(SCRIPT.length);
		expect(first.data).toBeGreaterThanOrEqual(
			JSON_BODY.length + WORKER_JSON.length + EVENTS * EVENT.length
		);

		// A reload: the script comes back as a 304 (headers only), and is counted.
		await page.reload();
		await page.waitForFunction(done, EVENTS);
		await page.waitForTimeout(300);
		const reload = counter.since(first);
		const revalidated = counter
			.requests()
			.filter((r) => r.url.endsWith('/app.js') && r.status === 304);
		expect(revalidated).toHaveLength(1);
		expect(revalidated[0].bytes).toBeGreaterThan(0);
		expect(reload.script).toBeLessThan(SCRIPT.length / 10);
		await context.close();
	});
});
