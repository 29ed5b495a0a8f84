/**
 * The event streams this process has open (GET /api/events), each by the function that ends it: all are
 * ended when the server shuts down (scripts/start.js emits gridwatch:shutdown).
 */
const open = new Set<() => void>();
process.on('gridwatch:shutdown' as never, () => endAllStreams());

/** Registers an open stream; returns the function that unregisters it. */
export function registerStream(end: () => void): () => void {
	open.add(end);
	return () => open.delete(end);
}

/**
 * Ends every open stream. Their pages reconnect by themselves and, on reconnecting, load their data again: after
 * the database's notifications were lost for a while (it restarted), that is how nobody is left showing old figures.
 */
export function endAllStreams(): void {
	for (const end of [...open]) end();
}

export const openStreamCount = () => open.size;
