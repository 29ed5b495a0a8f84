import postgres from 'postgres';
import type { Db, Queryable, Unlisten } from './types';

type Sql = postgres.Sql | postgres.TransactionSql;

/** Every connection's settings: Beijing time, and a name operators (and the reliability run) can find it by. */
const CONNECTION = { TimeZone: 'Asia/Shanghai', application_name: 'gridwatch' };
const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function wrap(sql: Sql): Queryable {
	return {
		async query<T>(text: string, params: unknown[] = []) {
			const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
			return rows as unknown as T[];
		},
		async exec(text: string) {
			await sql.unsafe(text).simple();
		}
	};
}

/** Connects to a PostgreSQL + PostGIS server. Throws a readable error when it cannot. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
	const sql = postgres(url, {
		max: options.max ?? 10,
		onnotice: () => {},
		connect_timeout: 10,
		connection: CONNECTION
	});
	try {
		await sql`SELECT 1`;
	} catch (cause) {
		await sql.end({ timeout: 1 });
		const reason = cause instanceof Error ? cause.message : String(cause);
		throw new Error(`Cannot connect to DATABASE_URL (${redact(url)}): ${reason}`, { cause });
	}
	const base = wrap(sql);
	let listener: ReturnType<typeof listeningConnection> | null = null;
	return {
		backend: 'postgres',
		...base,
		transaction: (work) => sql.begin((tx) => work(wrap(tx))) as Promise<never>,
		listen: (channel, handler, onRestored) =>
			(listener ??= listeningConnection(url)).listen(channel, handler, onRestored),
		async notify(channel, payload) {
			await sql`SELECT pg_notify(${channel}, ${payload})`;
		},
		async close() {
			await listener?.close();
			await sql.end({ timeout: 5 });
		}
	};
}

/** How long to wait before listening again after the connection was lost, and between tries while the database is down. */
const RELISTEN_MS = 500;

/**
 * One connection of its own that LISTENs for the whole process. The driver's own `listen` tries once to listen again
 * after the connection closes and gives up for good if the database is still down then (a restart): every wall
 * would stop receiving changes until the app was restarted. This one keeps trying every half second until the
 * database answers, then tells each subscriber (`onRestored`) that notifications may have been missed.
 */
function listeningConnection(url: string) {
	const channels = new Map<
		string,
		{ handlers: Set<(payload: string) => void>; restored: Set<() => void> }
	>();
	let closing = false;
	let lost = false;
	let timer: ReturnType<typeof setTimeout> | null = null;
	// `onnotify` is the option the driver's own `listen` is built on (every 3.x release), not in its typings.
	const onnotify = (channel: string, payload: string) =>
		channels.get(channel)?.handlers.forEach((handler) => handler(payload));
	const options = {
		max: 1,
		// Never closed for idleness or age: a close is a loss (streams are ended and reload).
		idle_timeout: 0,
		max_lifetime: null,
		fetch_types: false,
		onnotice: () => {},
		connect_timeout: 10,
		connection: CONNECTION,
		onnotify,
		onclose: () => {
			if (closing || channels.size === 0) return;
			lost = true;
			retryLater();
		}
	};
	const sql = postgres(url, options);
	const listenTo = (channel: string) => sql.unsafe(`LISTEN ${quoted(channel)}`);
	const retryLater = () => {
		if (timer || closing) return;
		timer = setTimeout(relisten, RELISTEN_MS);
		timer.unref();
	};
	async function relisten() {
		timer = null;
		try {
			for (const channel of channels.keys()) await listenTo(channel);
		} catch {
			retryLater();
			return;
		}
		if (!lost) return;
		lost = false;
		for (const { restored } of channels.values()) for (const callback of restored) callback();
	}
	return {
		async listen(
			channel: string,
			handler: (payload: string) => void,
			onRestored?: () => void
		): Promise<Unlisten> {
			let entry = channels.get(channel);
			if (!entry) {
				channels.set(channel, (entry = { handlers: new Set(), restored: new Set() }));
				try {
					await listenTo(channel);
				} catch (error) {
					channels.delete(channel);
					throw error;
				}
			}
			const { handlers, restored } = entry;
			handlers.add(handler);
			if (onRestored) restored.add(onRestored);
			return async () => {
				handlers.delete(handler);
				if (onRestored) restored.delete(onRestored);
				if (handlers.size === 0 && channels.get(channel) === entry) {
					channels.delete(channel);
					await sql.unsafe(`UNLISTEN ${quoted(channel)}`).catch(() => {});
				}
			};
		},
		async close() {
			closing = true;
			if (timer) clearTimeout(timer);
			await sql.end({ timeout: 5 });
		}
	};
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparseable URL)';
	}
}
