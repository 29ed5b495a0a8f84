import type { AddressHousehold, AddressList } from './contract';
import { getJson } from './get-json';

/** A grid's address list as the page got it: the households, or why not; `copiedAt` for an offline copy. */
export type AddressesLoaded =
	| { households: AddressHousehold[]; copiedAt: number | null }
	| { failed: string | null; status: number | null };

const KEEP_MS = 60_000;
const loads = new Map<string, { at: number; promise: Promise<AddressesLoaded> }>();

/**
 * GET /api/addresses?grid=CODE once for every form of the page that needs it (the registration form
 * and the household panel share one download), kept a minute. `failed: null` with no status: no network.
 */
export function loadAddresses(grid: string): Promise<AddressesLoaded> {
	const kept = loads.get(grid);
	if (kept && Date.now() - kept.at < KEEP_MS) return kept.promise;
	const promise = (async (): Promise<AddressesLoaded> => {
		const got = await getJson<AddressList>(`/api/addresses?grid=${encodeURIComponent(grid)}`);
		if (!got.ok) {
			loads.delete(grid);
			return { failed: got.failed, status: got.status };
		}
		return { households: got.body.households, copiedAt: got.copiedAt };
	})();
	loads.set(grid, { at: Date.now(), promise });
	return promise;
}
