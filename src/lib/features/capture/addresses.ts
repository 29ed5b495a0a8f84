import type { AddressHousehold, AddressList } from './contract';

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
		const response = await fetch(`/api/addresses?grid=${encodeURIComponent(grid)}`).catch(
			() => null
		);
		if (!response?.ok) {
			loads.delete(grid);
			return {
				failed: response
					? ((await response.json().catch(() => null))?.message ?? `${response.status}`)
					: null,
				status: response?.status ?? null
			};
		}
		const copiedAt = response.headers.get('x-gw-offline')
			? Number(response.headers.get('x-gw-cached-at')) || null
			: null;
		return { households: ((await response.json()) as AddressList).households, copiedAt };
	})();
	loads.set(grid, { at: Date.now(), promise });
	return promise;
}
