/**
 * The outbox: every form on the phone writes through it. A submission is stored (IndexedDB) before
 * it is sent; it leaves the outbox when the server has answered it — written (2xx, or the first
 * answer again for a repeat of its Idempotency-Key) or refused (4xx: shown with the server's words
 * until dismissed). Without an answer it stays, shown as 待上传, and is sent again when the network
 * returns (the browser's `online` event), every 30 seconds, and on the next page load. Its key goes
 * with it, so however often it is sent it is written once.
 */
import { allQueued, deleteQueued, putQueued, type Queued } from './outbox-store';
import { send, type Sent, type Submission } from './send';

export interface Refused {
	item: Queued;
	message: string;
}

type Listener = (item: Queued, answer: Sent<unknown> & { ok: true }) => void;

const RETRY_MS = 30_000;

export class Outbox {
	/** Waiting to be sent, oldest first. */
	waiting = $state<Queued[]>([]);
	/** Sent and refused after being queued: the form is gone, so the outbox says why. */
	refused = $state<Refused[]>([]);
	sending = $state(false);
	online = $state(true);
	#user = '';
	#listeners: Listener[] = [];
	#started = false;
	/** Keys being sent now: a flush does not send one a form is sending, nor twice. */
	#inFlight: string[] = [];
	/** Why the last attempt kept what is waiting (signed out, asked to wait), when it was not the network. */
	held = $state<string | null>(null);

	/** Starts the outbox for the signed-in user: loads what is waiting and sends it. Returns a stop function. */
	start(user: string): () => void {
		this.#user = user;
		this.online = navigator.onLine;
		const online = () => {
			this.online = true;
			void this.flush();
		};
		const offline = () => (this.online = false);
		addEventListener('online', online);
		addEventListener('offline', offline);
		const timer = setInterval(() => void this.flush(), RETRY_MS);
		this.#started = true;
		void this.reload().then(() => this.flush());
		return () => {
			removeEventListener('online', online);
			removeEventListener('offline', offline);
			clearInterval(timer);
			this.#started = false;
		};
	}

	/** Calls `listener` for every queued submission the server accepted (a page refreshes its data). */
	onSent(listener: Listener): () => void {
		this.#listeners = [...this.#listeners, listener];
		return () => {
			this.#listeners = this.#listeners.filter((l) => l !== listener);
		};
	}

	async reload() {
		this.waiting = (await allQueued()).filter((item) => item.user === this.#user);
	}

	/**
	 * Stores and sends one submission. Answers what the server said; `{offline: true}` when it is kept
	 * for later (the form can be cleared: the outbox has it).
	 */
	async submit(
		submission: Submission,
		meta: { label: string; kind: string }
	): Promise<Sent<unknown>> {
		const item: Queued = { ...submission, ...meta, user: this.#user };
		try {
			await putQueued(item);
		} catch {
			// No storage on this phone (a private window, storage full): sent at once, not kept.
			return send<unknown>(item);
		}
		await this.reload();
		const answer = await this.#sendOne(item, false);
		return answer;
	}

	/** Sends everything waiting, oldest first; stops at the first that gets no answer. */
	async flush(): Promise<void> {
		if (this.sending || !this.#started) return;
		this.sending = true;
		try {
			for (const item of await allQueued()) {
				if (item.user !== this.#user) continue;
				if (this.#inFlight.includes(item.key)) continue;
				const answer = await this.#sendOne(item, true);
				if ('offline' in answer || 'retry' in answer) break;
			}
		} finally {
			this.sending = false;
			await this.reload();
		}
	}

	dismiss(refused: Refused) {
		this.refused = this.refused.filter((r) => r !== refused);
	}

	async #sendOne(item: Queued, queued: boolean): Promise<Sent<unknown>> {
		this.#inFlight = [...this.#inFlight, item.key];
		let answer: Sent<unknown>;
		try {
			answer = await send<unknown>(item);
		} finally {
			this.#inFlight = this.#inFlight.filter((k) => k !== item.key);
		}
		if ('offline' in answer) {
			this.online = navigator.onLine;
			return answer;
		}
		// Signed out, or asked to wait: kept (with its key) until it can be sent.
		if ('retry' in answer) {
			this.held = answer.message;
			return answer;
		}
		this.held = null;
		await deleteQueued(item.key);
		await this.reload();
		if (answer.ok) {
			if (queued) for (const listener of this.#listeners) listener(item, answer);
		} else if (queued) this.refused = [...this.refused, { item, message: answer.message }];
		return answer;
	}
}

/** The page's one outbox. */
export const outbox = new Outbox();
