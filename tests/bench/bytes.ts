/**
 * Counts every byte a page receives on the wire, from Chromium's network events (CDP), so that a
 * benchmark's byte figures are what a screen really costs:
 *
 * - a finished request counts its `Network.loadingFinished.encodedDataLength` (headers + body as
 *   sent, compressed where the server compressed it);
 * - a request that has not finished — a server-sent event stream such as /api/events never does —
 *   counts its response headers plus every `Network.dataReceived.encodedDataLength` so far (or, as
 *   Chromium reports those late, its decoded body so far when it was sent uncompressed, whichever
 *   is more); counting only finished requests misses it entirely;
 * - a 304 (revalidated) or a redirect counts its headers;
 * - a response taken from the browser's cache moves nothing and counts 0.
 *
 * A dedicated worker's own requests are counted through its target (see `attach`) — except any it
 * makes in the instant after it starts: Playwright's own session may let it run before the counter's
 * Network.enable reaches it (MapLibre's worker fetches nothing with the offline style); its script is
 * not: Chromium fetches it before the worker's target can be told to report, and the page's session
 * sees the request with no response (status null, 0 bytes; MapLibre's worker is one).
 * `unanswered()` lists such requests, for the caller to measure another way (`wireBytes`).
 */
import { request as httpRequest } from 'node:http';
import type { CDPSession } from 'playwright-core';

/** script: JavaScript; data: the API's answers (JSON, the event stream, SvelteKit's __data.json); other: the page, styles, fonts, images. */
export type ByteKind = 'script' | 'data' | 'other';

export interface RequestBytes {
	url: string;
	kind: ByteKind;
	status: number | null;
	/** Bytes received so far (the final figure once finished). */
	bytes: number;
	finished: boolean;
}

export type ByteTally = Record<ByteKind | 'total', number>;

interface Entry {
	url: string;
	type: string;
	mimeType: string;
	status: number | null;
	headers: number;
	/** Σ dataReceived.encodedDataLength: Chromium reports it late, with a later chunk or at the end. */
	streamed: number;
	/** Σ dataReceived.dataLength: the body as decoded, reported at once. */
	decoded: number;
	/** Sent with a Content-Encoding: decoded bytes are then no measure of the wire. */
	contentEncoded: boolean;
	total: number | null;
}

interface RequestEvent {
	requestId: string;
	type?: string;
	request: { url: string };
	redirectResponse?: { status: number; encodedDataLength: number; mimeType: string };
}
interface ResponseEvent {
	requestId: string;
	type: string;
	response: {
		url: string;
		status: number;
		encodedDataLength: number;
		mimeType: string;
		headers: Record<string, string>;
	};
}

function kindOf(entry: Pick<Entry, 'url' | 'type' | 'mimeType'>): ByteKind {
	const path = (() => {
		try {
			return new URL(entry.url).pathname;
		} catch {
			return entry.url;
		}
	})();
	if (
		entry.type === 'Script' ||
		/javascript|ecmascript/.test(entry.mimeType) ||
		/\.m?js$/.test(path)
	)
		return 'script';
	if (path.startsWith('/api/') || path.endsWith('/__data.json') || entry.type === 'EventSource')
		return 'data';
	return 'other';
}

function bytesOf(entry: Entry): number {
	if (entry.total !== null) return entry.total;
	// In flight: Chromium's encoded count lags the last chunks (an idle event stream may never catch
	// up); a body sent without compression is at least its decoded length on the wire.
	return entry.headers + Math.max(entry.streamed, entry.contentEncoded ? 0 : entry.decoded);
}

const NETWORK_EVENTS = [
	'Network.requestWillBeSent',
	'Network.responseReceived',
	'Network.dataReceived',
	'Network.loadingFinished'
] as const;

export class ByteCounter {
	private entries = new Map<string, Entry>();
	private redirects = 0;

	private constructor() {}

	/**
	 * Enables the Network domain on `cdp` (a session for the page, opened before it navigates) and
	 * on every worker the page starts, and starts counting. A dedicated worker's own requests reach
	 * only the worker's target, so the counter attaches to each worker as it starts, through Target
	 * messages (non-flat: Playwright's CDPSession does not route flat child sessions).
	 */
	static async attach(cdp: CDPSession): Promise<ByteCounter> {
		const counter = new ByteCounter();
		// One by one: each event name has its own payload type.
		cdp.on('Network.requestWillBeSent', (event) =>
			counter.onNetwork('Network.requestWillBeSent', event as never, 'page')
		);
		cdp.on('Network.responseReceived', (event) =>
			counter.onNetwork('Network.responseReceived', event as never, 'page')
		);
		cdp.on('Network.dataReceived', (event) =>
			counter.onNetwork('Network.dataReceived', event as never, 'page')
		);
		cdp.on('Network.loadingFinished', (event) =>
			counter.onNetwork('Network.loadingFinished', event as never, 'page')
		);
		cdp.on(
			'Target.attachedToTarget',
			(event: { sessionId: string; waitingForDebugger: boolean }) => {
				let id = 0;
				const send = (method: string) =>
					cdp
						.send('Target.sendMessageToTarget', {
							sessionId: event.sessionId,
							message: JSON.stringify({ id: ++id, method })
						})
						.catch(() => {});
				// The Network domain first, then let the worker run: its fetches are then seen.
				void send('Network.enable').then(
					() => event.waitingForDebugger && send('Runtime.runIfWaitingForDebugger')
				);
			}
		);
		cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
			const message = JSON.parse(event.message) as { method?: string; params?: never };
			if (message.method && (NETWORK_EVENTS as readonly string[]).includes(message.method))
				counter.onNetwork(message.method, message.params!, event.sessionId);
		});
		// The browser's cache stays on: a screen's repeat visits are served from it, and that is what they cost.
		await cdp.send('Network.enable');
		await cdp.send('Target.setAutoAttach', {
			autoAttach: true,
			waitForDebuggerOnStart: true,
			flatten: false
		});
		return counter;
	}

	private onNetwork(method: string, event: never, target: string) {
		const key = (requestId: string) => `${target}:${requestId}`;
		if (method === 'Network.requestWillBeSent')
			return this.onRequest(event as RequestEvent, key((event as RequestEvent).requestId));
		if (method === 'Network.responseReceived')
			return this.onResponse(event as ResponseEvent, key((event as ResponseEvent).requestId));
		const data = event as { requestId: string; dataLength: number; encodedDataLength: number };
		const entry = this.entries.get(key(data.requestId));
		if (!entry) return;
		if (method === 'Network.loadingFinished') entry.total = data.encodedDataLength;
		else {
			entry.streamed += data.encodedDataLength;
			entry.decoded += data.dataLength;
		}
	}

	private onRequest(event: RequestEvent, key: string) {
		const previous = this.entries.get(key);
		// A redirect reuses the request id: the redirect response is counted on its own, under a key of its own.
		if (previous && event.redirectResponse) {
			previous.total = event.redirectResponse.encodedDataLength;
			previous.status = event.redirectResponse.status;
			this.entries.set(`${key}#redirect${++this.redirects}`, previous);
		}
		this.entries.set(key, {
			url: event.request.url,
			type: event.type ?? '',
			mimeType: '',
			status: null,
			headers: 0,
			streamed: 0,
			decoded: 0,
			contentEncoded: false,
			total: null
		});
	}

	private onResponse(event: ResponseEvent, key: string) {
		const entry = this.entries.get(key);
		if (!entry) return;
		entry.type = event.type;
		entry.mimeType = event.response.mimeType;
		entry.status = event.response.status;
		// At this point: the bytes of the response's headers.
		entry.headers = event.response.encodedDataLength;
		const encoding = Object.entries(event.response.headers).find(
			([name]) => name.toLowerCase() === 'content-encoding'
		)?.[1];
		entry.contentEncoded = !!encoding && encoding !== 'identity';
	}

	/** Every request seen so far, with its bytes. */
	requests(): RequestBytes[] {
		return [...this.entries.values()].map((e) => ({
			url: e.url,
			kind: kindOf(e),
			status: e.status,
			bytes: bytesOf(e),
			finished: e.total !== null
		}));
	}

	/** Requests sent that have had no response reported: in flight, or a worker's script (see above). */
	unanswered(): RequestBytes[] {
		return this.requests().filter((r) => r.status === null && !r.finished);
	}

	/** Bytes received so far, in all and by kind. */
	tally(): ByteTally {
		const tally: ByteTally = { total: 0, script: 0, data: 0, other: 0 };
		for (const request of this.requests()) {
			tally[request.kind] += request.bytes;
			tally.total += request.bytes;
		}
		return tally;
	}

	/** Bytes received since an earlier tally (requests in flight at that moment count only what came after it). */
	since(earlier: ByteTally): ByteTally {
		const now = this.tally();
		return {
			total: now.total - earlier.total,
			script: now.script - earlier.script,
			data: now.data - earlier.data,
			other: now.other - earlier.other
		};
	}
}

/**
 * An independent measure of one response's size on the wire: GET `url` with Node's HTTP client (it
 * does not decompress) on a connection of its own, and count the bytes read off the socket —
 * status line, headers and body as sent.
 */
export function wireBytes(url: string, headers: Record<string, string>): Promise<number> {
	return new Promise((done, fail) => {
		const request = httpRequest(url, { headers, agent: false }, (response) => {
			response.resume();
			response.on('end', () => done(response.socket.bytesRead));
			response.on('error', fail);
		});
		request.on('error', fail);
		request.end();
	});
}
