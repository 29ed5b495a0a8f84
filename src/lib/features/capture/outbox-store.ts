/**
 * The outbox's storage: one IndexedDB object store of submissions, keyed by their Idempotency-Key,
 * so a submission made offline outlives a closed tab or a restarted phone.
 */
import type { Submission } from './send';

/** A submission waiting to be sent: whose it is and what the screen calls it. */
export interface Queued extends Submission {
	/** The signed-in user who made it: sent only under their own session. */
	user: string;
	/** What it is, in the words shown in the outbox (王*明 · 明月苑1幢2单元101室). */
	label: string;
	/** The form it came from (`returnee`, `screening`…), for the page to refresh what it shows. */
	kind: string;
}

const NAME = 'gridwatch';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(NAME, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function run<T>(
	mode: IDBTransactionMode,
	work: (store: IDBObjectStore) => IDBRequest<T>
): Promise<T> {
	const db = await open();
	try {
		return await new Promise<T>((resolve, reject) => {
			const tx = db.transaction(STORE, mode);
			const request = work(tx.objectStore(STORE));
			tx.oncomplete = () => resolve(request.result);
			tx.onerror = () => reject(tx.error);
			tx.onabort = () => reject(tx.error);
		});
	} finally {
		db.close();
	}
}

export const putQueued = (item: Queued) => run('readwrite', (s) => s.put(item)).then(() => {});
export const deleteQueued = (key: string) => run('readwrite', (s) => s.delete(key)).then(() => {});
export const allQueued = () =>
	run<Queued[]>('readonly', (s) => s.getAll() as IDBRequest<Queued[]>).then((items) =>
		items.sort((a, b) => a.madeAt - b.madeAt)
	);
