/** Row values as both backends return them once queries cast counts to int and dates to text. */
export type Row = Record<string, unknown>;

/** What a query can run on: the whole database, or one open transaction. */
export interface Queryable {
	/** One parameterised statement ($1, $2 …); returns its rows. */
	query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Several statements, no parameters (migrations). */
	exec(sql: string): Promise<void>;
}

export type Unlisten = () => Promise<void>;

/**
 * The one database interface. Two adapters: PGlite + PostGIS in WASM (embedded, the default)
 * and a PostgreSQL + PostGIS server through the `postgres` driver. Every query and migration
 * runs on both.
 */
export interface Db extends Queryable {
	readonly backend: 'pglite' | 'postgres';
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	/**
	 * Subscribes to a notification channel; PostgreSQL LISTEN/NOTIFY on both backends. On a server, the listening
	 * connection can be lost (the database restarted, the connection terminated): it is listened again as soon as
	 * the database answers, and `onRestored` runs then — notifications sent meanwhile were missed.
	 */
	listen(
		channel: string,
		handler: (payload: string) => void,
		onRestored?: () => void
	): Promise<Unlisten>;
	notify(channel: string, payload: string): Promise<void>;
	close(): Promise<void>;
}
