/** A pushed change, as GET /api/events sends it. */
export interface LiveChange {
	from?: string;
	to?: string;
	gaps?: boolean;
	/** The grids (codes) the change touched, when known; absent: any grid may have changed. */
	grids?: string[];
}

/** Whether a change can concern a grid: it names that grid, or does not say which. */
export function touchesGrid(change: LiveChange, code: string): boolean {
	return change.grids === undefined || change.grids.includes(code);
}

/** The stream as a screen may show it: 'live' once the server has said hello, 'reconnecting' after a break. */
export type LiveState = 'live' | 'reconnecting';

/**
 * Listens to the server's `change` events. The browser retries a dropped stream by itself; a stream
 * the server refused (a proxy's 502 during a restart, 401 once the session has ended) closes for
 * good, so it is opened again after `retryMs`. `onReconnect` runs when a stream comes back after a
 * break (whatever changed meanwhile was missed), before `onState` says 'live' again. Returns a
 * function that stops listening.
 */
export function listenForChanges(
	onChange: (change: LiveChange) => void,
	options: {
		onReconnect?: () => void;
		onState?: (state: LiveState) => void;
		retryMs?: number;
	} = {}
): () => void {
	let source: EventSource | null = null;
	let retry: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;
	let broken = false;
	const open = () => {
		if (stopped) return;
		source = new EventSource('/api/events');
		source.addEventListener('hello', () => {
			if (broken) options.onReconnect?.();
			broken = false;
			options.onState?.('live');
		});
		source.addEventListener('change', (e) => {
			try {
				onChange(JSON.parse((e as MessageEvent).data) as LiveChange);
			} catch {
				// Not ours: ignore.
			}
		});
		source.onerror = () => {
			broken = true;
			options.onState?.('reconnecting');
			if (source?.readyState === EventSource.CLOSED) {
				source.close();
				retry = setTimeout(open, options.retryMs ?? 5000);
			}
		};
	};
	open();
	return () => {
		stopped = true;
		source?.close();
		if (retry) clearTimeout(retry);
	};
}
