import { getDb } from './db';
import type { Unlisten } from './db/types';

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
		db.listen('gridwatch_changes', (payload) => {
			let change: Change;
			try {
				change = JSON.parse(payload) as Change;
			} catch {
				return;
			}
			for (const l of listeners) l(change);
		})
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
