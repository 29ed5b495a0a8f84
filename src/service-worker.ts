/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The phone's offline copy of the grid workspace. After a first visit online:
 * - the app's code (`/_app/immutable/…`, content-hashed) comes from the cache first (kept as pages load it);
 * - the workspace pages (`/grid/CODE`, `/community/CODE`) and the lists the forms need
 *   (`GET /api/addresses`, `/api/gaps`, `/api/service-tasks`, `/api/households/ID`) come from the network first, and from the last copy when
 *   the network is down; a copy says when it was fetched (`x-gw-cached-at`) and that it is one
 *   (`x-gw-offline: 1`), so the page can show its age.
 * Nothing else is touched: maps, the wall, the planner and every write go to the network as before
 * (writes made offline wait in the outbox, IndexedDB, not here). Signing out clears these caches
 * (the sign-out answer's `Clear-Site-Data: "cache"`).
 */
import { version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `gw-shell-${version}`;
const DATA = 'gw-data';

const isShell = (url: URL) => url.pathname.startsWith('/_app/immutable/');
const isWorkspacePage = (url: URL) => /^\/(grid|community)\/[^/]+\/?$/.test(url.pathname);
const isOfflineList = (url: URL) =>
	/^\/api\/(addresses|gaps|service-tasks|households\/\d+)\/?$/.test(url.pathname);

// Nothing is fetched ahead: a phone's first visit downloads only what its page uses (the map's
// libraries are large); the code a page loaded while this worker was in charge is kept.
sw.addEventListener('install', (event) => {
	event.waitUntil(sw.skipWaiting());
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys.filter((k) => k.startsWith('gw-shell-') && k !== SHELL).map((k) => caches.delete(k))
				)
			)
			.then(() => sw.clients.claim())
	);
});

/** A copy of a response with when it was fetched. */
async function stamped(response: Response): Promise<Response> {
	const headers = new Headers(response.headers);
	headers.set('x-gw-cached-at', String(Date.now()));
	return new Response(await response.blob(), { status: response.status, headers });
}

/**
 * The network's answer as soon as it comes (a copy is kept in the background, and a failure to keep
 * it never touches the answer); the last copy when there is no network.
 */
async function networkFirst(event: FetchEvent): Promise<Response> {
	const request = event.request;
	let response: Response;
	try {
		response = await fetch(request);
	} catch (offline) {
		const copy = await caches.open(DATA).then((cache) => cache.match(request));
		if (!copy) throw offline;
		const headers = new Headers(copy.headers);
		headers.set('x-gw-offline', '1');
		return new Response(copy.body, { status: copy.status, headers });
	}
	if (response.ok)
		event.waitUntil(
			stamped(response.clone())
				.then(async (copy) => (await caches.open(DATA)).put(request, copy))
				.catch(() => undefined)
		);
	return response;
}

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request);
	if (cached) return cached;
	const response = await fetch(request);
	if (response.ok) {
		const copy = response.clone();
		void caches
			.open(SHELL)
			.then((cache) => cache.put(request, copy))
			.catch(() => undefined);
	}
	return response;
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (isShell(url)) event.respondWith(cacheFirst(request));
	else if ((request.mode === 'navigate' && isWorkspacePage(url)) || isOfflineList(url))
		event.respondWith(networkFirst(event));
});
