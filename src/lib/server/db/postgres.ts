import postgres from 'postgres';
import type { Db, Queryable } from './types';

type Sql = postgres.Sql | postgres.TransactionSql;

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
		connection: { TimeZone: 'Asia/Shanghai', application_name: 'gridwatch' }
	});
	try {
		await sql`SELECT 1`;
	} catch (cause) {
		await sql.end({ timeout: 1 });
		const reason = cause instanceof Error ? cause.message : String(cause);
		throw new Error(`Cannot connect to DATABASE_URL (${redact(url)}): ${reason}`, { cause });
	}
	const base = wrap(sql);
	return {
		backend: 'postgres',
		...base,
		transaction: (work) => sql.begin((tx) => work(wrap(tx))) as Promise<never>,
		async listen(channel, handler) {
			const subscription = await sql.listen(channel, (payload) => handler(payload));
			return () => subscription.unlisten();
		},
		async notify(channel, payload) {
			await sql`SELECT pg_notify(${channel}, ${payload})`;
		},
		async close() {
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
