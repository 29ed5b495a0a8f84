/**
 * The only reader of the environment. Fails fast, with a message that says what is wrong.
 *
 * DATABASE_URL       postgres://user:pass@host:5432/db — use a PostgreSQL + PostGIS server;
 *                    unset: the embedded database (PGlite + PostGIS) in GRIDWATCH_DATA_DIR.
 * GRIDWATCH_DATA_DIR folder of the embedded database (default: data/pglite).
 * GRIDWATCH_DEMO     "1" (default for the embedded database): load the demo on first start.
 */
import { resolve } from 'node:path';

export interface Config {
	databaseUrl: string | null;
	dataDir: string;
	loadDemoOnFirstStart: boolean;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const rawUrl = env.DATABASE_URL?.trim() || null;
	if (rawUrl) {
		let parsed: URL;
		try {
			parsed = new URL(rawUrl);
		} catch {
			throw new Error('DATABASE_URL is malformed: expected postgres://user:password@host:5432/database');
		}
		if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
			throw new Error(`DATABASE_URL is malformed: the scheme must be postgres:// or postgresql://, not ${parsed.protocol}//`);
		}
	}
	const demo = env.GRIDWATCH_DEMO?.trim();
	if (demo !== undefined && demo !== '' && demo !== '0' && demo !== '1') {
		throw new Error(`GRIDWATCH_DEMO must be 0 or 1, not "${demo}"`);
	}
	return {
		databaseUrl: rawUrl,
		dataDir: resolve(env.GRIDWATCH_DATA_DIR?.trim() || 'data/pglite'),
		loadDemoOnFirstStart: demo ? demo === '1' : rawUrl === null
	};
}
