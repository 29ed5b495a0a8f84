/**
 * What a capture panel's GET gave: the body (`copiedAt` when it is the service worker's offline copy,
 * the time it was saved), or why not — the server's words (`status` set) or no network (`failed` null).
 */
export type Got<T> =
	| { ok: true; body: T; copiedAt: number | null }
	| { ok: false; failed: string | null; status: number | null };

/** GET `url` as JSON the way every capture panel reads its data (src/service-worker.ts marks copies). */
export async function getJson<T>(url: string): Promise<Got<T>> {
	const response = await fetch(url).catch(() => null);
	if (!response?.ok)
		return {
			ok: false,
			failed: response
				? ((await response.json().catch(() => null))?.message ?? `${response.status}`)
				: null,
			status: response?.status ?? null
		};
	const copiedAt = response.headers.get('x-gw-offline')
		? Number(response.headers.get('x-gw-cached-at')) || null
		: null;
	return { ok: true, body: (await response.json()) as T, copiedAt };
}
