import { requireScope } from '$lib/server/access';
import { onChange } from '$lib/server/changes';
import { getDb } from '$lib/server/db';
import { hashToken } from '$lib/features/auth/server/sessions.server';
import { sessionCookieName } from '$lib/features/auth/server/cookies.server';
import {
	onRevoked,
	stillValid,
	type CredentialKey
} from '$lib/features/auth/server/revocation.server';
import { registerStream } from '$lib/server/streams';
import type { RequestHandler } from './$types';

const encoder = new TextEncoder();

/**
 * GET /api/events → server-sent events: `change` with {from, to} (the days whose figures changed),
 * `gaps` (the gap queue changed) and, when the writer knew them, `grids` (the codes of the grids
 * touched) whenever the rollup is refreshed or the gaps change in the caller's subdistrict; a comment every 15 s keeps the
 * connection open through proxies. Browsers reconnect by themselves (retry: 2 s).
 * Signing out, revoking the session or the wall link, or disabling the user closes the stream at once; the
 * heartbeat also checks the credential is still good (expiry), and closes the stream if not.
 */
export const GET: RequestHandler = async ({ locals, request, cookies, url }) => {
	const scope = requireScope(locals);
	const session = cookies.get(sessionCookieName(url));
	const keys: CredentialKey[] = locals.user
		? [`user:${locals.user.id}`, ...(session ? [`session:${hashToken(session)}` as const] : [])]
		: locals.wall
			? [`wall:${locals.wall.idHash}`]
			: [];
	// Ending the stream undoes every subscription made so far; one made after the end (the client went away
	// while start() was still awaiting) is undone as soon as it is made. Nothing outlives the connection.
	let ended = false;
	const undo: (() => void)[] = [];
	const keep = (release: () => void) => (ended ? release() : undo.push(release));
	const finish = () => {
		if (ended) return;
		ended = true;
		for (const release of undo.splice(0)) release();
	};
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const end = () => {
				finish();
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			};
			const send = (text: string) => {
				if (ended) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					end();
				}
			};
			request.signal.addEventListener('abort', end, { once: true });
			keep(() => request.signal.removeEventListener('abort', end));
			if (request.signal.aborted) return end();
			keep(registerStream(end));
			try {
				keep(
					await onChange((change) => {
						if (change.subdistrict !== scope.subdistrictId) return;
						const grids = Array.isArray(change.grids)
							? { grids: change.grids.filter((g) => typeof g === 'string') }
							: {};
						send(
							`event: change\ndata: ${JSON.stringify({ from: change.from, to: change.to, gaps: change.gaps === true, ...grids })}\n\n`
						);
					})
				);
				const heartbeat = setInterval(async () => {
					send(': keep-alive\n\n');
					if (!(await stillValid(await getDb(), keys).catch(() => true))) end();
				}, 15_000);
				keep(() => clearInterval(heartbeat));
				keep(await onRevoked(keys, end));
				// Revoked between the hook's check and now: no announcement is coming for this stream.
				if (!ended && !(await stillValid(await getDb(), keys))) return end();
				// Only now, with every listener in place: a page reloads its figures on hello, and a change
				// written after that reload must reach it.
				send(`retry: 2000\nevent: hello\ndata: {}\n\n`);
			} catch {
				// The database went away while the stream was being set up: close it; the browser reconnects.
				end();
			}
		},
		cancel() {
			finish();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
};
