import { getDb } from './db';
import type { Unlisten } from './db/types';
import { endAllStreams } from './streams';

/** What changed: the rollup days of one subdistrict (from the database's gridwatch_changes channel). */
export interface Change {
	subdistrict: number;
	from: string;
	to: string;
	/** The gap queue changed (rules found or cleared something, or someone acted on an item). */
	gaps?: boolean;
	/** The grids (codes) whose own figures or items changed, when the writer knew them; absent: any grid may have. */
	grids?: string[];
}

type Listener = (change: Change) => void;
const listeners = new Set<Listener>();
let subscription: Promise<Unlisten> | null = null;

/**
 * Subscribes to data changes. One LISTEN per process, shared by every open event stream; on a
 * PostGIS server every app instance listens, so a write through one reaches walls on all.
 */
export async function onChange(listener: Listener): Promise<() => void> {
	subscription ??= getDb().then((db) =>
		db.listen(
			'gridwatch_changes',
			(payload) => {
				let change: Change;
				try {
					change = JSON.parse(payload) as Change;
				} catch {
					return;
				}
				for (const l of listeners) l(change);
			},
			// Changes (and revocations, on the same connection) were missed while the database was away: every
			// stream is ended, so each page reconnects, reloads its figures and is let in again only if still allowed.
			endAllStreams
		)
	);
	try {
		await subscription;
	} catch (error) {
		// Not cached: the next stream tries again.
		subscription = null;
		throw error;
	}
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** How many listeners (open event streams) this process has: /readyz reports it, so a leak shows as a count that only grows. */
export const changeListenerCount = () => listeners.size;
