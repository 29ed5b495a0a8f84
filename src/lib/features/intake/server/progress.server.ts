import { isHttpError } from '@sveltejs/kit';
import { errorFields, logLine } from '../../../server/log';
import { say } from '../../../server/say';
import type { ImportPhase, ImportProgressLine } from '../contract';

/**
 * A long import, streamed: each phase it passes (read, validated, placed, written, refreshed) is a
 * line of NDJSON as it happens, then the result or the refusal in words. When the client goes away
 * (the cancel button aborts its request) the next phase throws, the transaction rolls back, and
 * nothing is written.
 */
export type Step = (phase: ImportPhase, rows?: number) => Promise<void>;
export const noSteps: Step = async () => {};

/** The work stopped because its client cancelled (never shown: nobody is listening). */
export class ImportCancelled extends Error {
	constructor() {
		super('import cancelled by its client');
	}
}

/** Whether a request asks for the streamed answer (`Accept: application/x-ndjson`). */
export const wantsProgress = (request: Request) =>
	(request.headers.get('accept') ?? '').includes('application/x-ndjson');

export function streamed<T>(
	work: (step: Step) => Promise<T>,
	status: number,
	log: { reqId?: string; route: string }
): Response {
	let cancelled = false;
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (line: ImportProgressLine) => {
				if (!cancelled) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
			};
			const step: Step = async (phase, rows) => {
				if (cancelled) throw new ImportCancelled();
				send(rows === undefined ? { phase } : { phase, rows });
				// A turn of the event loop: the line goes out now (the embedded database works on this
				// thread and would hold it back to the end), and a client gone meanwhile is noticed.
				await new Promise((next) => setImmediate(next));
				if (cancelled) throw new ImportCancelled();
			};
			try {
				send({ phase: 'done', status, result: await work(step) });
			} catch (cause) {
				if (cancelled || cause instanceof ImportCancelled)
					logLine('info', 'import cancelled', { reqId: log.reqId, route: log.route });
				else if (isHttpError(cause))
					send({ phase: 'error', status: cause.status, ...(cause.body as { message: string }) });
				else {
					const id = (log.reqId ?? crypto.randomUUID()).slice(0, 8);
					logLine('error', 'unhandled error', {
						reqId: log.reqId,
						route: log.route,
						...errorFields(cause)
					});
					send({
						phase: 'error',
						status: 500,
						message: say().core_internal_error({ id }),
						code: 'internal'
					});
				}
			}
			if (!cancelled) controller.close();
		},
		cancel() {
			cancelled = true;
		}
	});
	return new Response(body, {
		status: 200,
		headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' }
	});
}
