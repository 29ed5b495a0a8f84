import { requireScope } from '$lib/server/access';
import { onChange } from '$lib/server/changes';
import type { RequestHandler } from './$types';

const encoder = new TextEncoder();
/** Open streams, ended when the server shuts down (scripts/start.js emits gridwatch:shutdown). */
const open = new Set<() => void>();
process.on('gridwatch:shutdown' as never, () => {
	for (const end of open) end();
});

/**
 * GET /api/events → server-sent events: `change` with {from, to} (the days whose figures changed),
 * `gaps` (the gap queue changed) and, when the writer knew them, `grids` (the codes of the grids
 * touched) whenever the rollup is refreshed or the gaps change in the caller's subdistrict; a comment every 15 s keeps the
 * connection open through proxies. Browsers reconnect by themselves (retry: 2 s).
 */
export const GET: RequestHandler = async ({ locals, request }) => {
	const scope = requireScope(locals);
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			send(`retry: 2000\nevent: hello\ndata: {}\n\n`);
			const unsubscribe = await onChange((change) => {
				if (change.subdistrict !== scope.subdistrictId) return;
				const grids = Array.isArray(change.grids) ? { grids: change.grids.filter((g) => typeof g === 'string') } : {};
				send(`event: change\ndata: ${JSON.stringify({ from: change.from, to: change.to, gaps: change.gaps === true, ...grids })}\n\n`);
			});
			if (request.signal.aborted) {
				unsubscribe();
				return;
			}
			const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
			const end = () => {
				stop();
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			};
			stop = () => {
				clearInterval(heartbeat);
				unsubscribe();
				open.delete(end);
			};
			open.add(end);
			request.signal.addEventListener('abort', end);
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
};
