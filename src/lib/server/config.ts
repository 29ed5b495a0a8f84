/**
 * The only reader of the environment. Fails fast, with a message that says what is wrong.
 *
 * DATABASE_URL       postgres://user:pass@host:5432/db — use a PostgreSQL + PostGIS server;
 *                    unset: the embedded database (PGlite + PostGIS) in GRIDWATCH_DATA_DIR.
 * GRIDWATCH_DATA_DIR folder of the embedded database (default: data/pglite).
 * GRIDWATCH_DEMO     "1" (default for the embedded database): load the demo on first start; with
 *                    the embedded database this is demo mode (one-click sign-in as each demo role).
 * GRIDWATCH_SECRET / GRIDWATCH_SECRET_FILE  key for ID-number hashes (generated into
 *                    data/gridwatch-secret.key on first start when neither is set).
 * GRIDWATCH_SESSION_IDLE_MINUTES  sign-out after this long unused (default 30).
 * GRIDWATCH_SESSION_MAX_HOURS     sign-out this long after sign-in, used or not (default 12).
 * GRIDWATCH_NOW      the clock, as an ISO time (e.g. 2020-02-28T22:00:00+08:00); unset: the real
 *                    time, except in demo mode, where the clock stands at 23:55 Beijing time on the
 *                    demo's last day so that the demo reads as current.
 * GRIDWATCH_STALE_MINUTES  the wall screen warns when its newest data is older than this
 *                    (default 1560 = 26 h: daily reports plus slack); /readyz fails when the
 *                    rollup was last rebuilt longer ago than this.
 * LOG_LEVEL          debug | info (default) | warn | error | silent: the least severe JSON log line
 *                    written (one per request at info; /healthz and /readyz at debug).
 */
import { resolve } from 'node:path';

export interface Config {
	databaseUrl: string | null;
	dataDir: string;
	loadDemoOnFirstStart: boolean;
	/** GRIDWATCH_SECRET, when set; otherwise the secret lives in secretFile. */
	secretFromEnv: string | null;
	/** Where the generated server secret is kept unless GRIDWATCH_SECRET is set. */
	secretFile: string;
	/** Embedded database with the demo: the sign-in page offers each demo role. */
	demoMode: boolean;
	session: { idleMinutes: number; absoluteHours: number };
	/** A fixed clock (ms since epoch), or null for the real time (demo mode fixes it later, from the data). */
	fixedNow: number | null;
	staleMinutes: number;
	logLevel: LogLevel;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function positiveNumber(
	env: Record<string, string | undefined>,
	name: string,
	fallback: number
): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0)
		throw new Error(`${name} must be a positive number, not "${raw}"`);
	return value;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const rawUrl = env.DATABASE_URL?.trim() || null;
	if (rawUrl) {
		let parsed: URL;
		try {
			parsed = new URL(rawUrl);
		} catch {
			throw new Error(
				'DATABASE_URL is malformed: expected postgres://user:password@host:5432/database'
			);
		}
		if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
			throw new Error(
				`DATABASE_URL is malformed: the scheme must be postgres:// or postgresql://, not ${parsed.protocol}//`
			);
		}
	}
	const demo = env.GRIDWATCH_DEMO?.trim();
	if (demo !== undefined && demo !== '' && demo !== '0' && demo !== '1') {
		throw new Error(`GRIDWATCH_DEMO must be 0 or 1, not "${demo}"`);
	}
	const loadDemoOnFirstStart = demo ? demo === '1' : rawUrl === null;
	const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel))
		throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
	const rawNow = env.GRIDWATCH_NOW?.trim();
	const fixedNow = rawNow ? Date.parse(rawNow) : null;
	if (rawNow && !Number.isFinite(fixedNow))
		throw new Error(
			`GRIDWATCH_NOW must be an ISO time such as 2020-02-28T22:00:00+08:00, not "${rawNow}"`
		);
	return {
		databaseUrl: rawUrl,
		dataDir: resolve(env.GRIDWATCH_DATA_DIR?.trim() || 'data/pglite'),
		loadDemoOnFirstStart,
		// Demo mode comes with the demo: by default on the embedded database, or on a server when
		// GRIDWATCH_DEMO=1 is set explicitly (CI runs the access tests on PostGIS this way).
		demoMode: loadDemoOnFirstStart,
		secretFromEnv: env.GRIDWATCH_SECRET?.trim() || null,
		secretFile: resolve(env.GRIDWATCH_SECRET_FILE?.trim() || 'data/gridwatch-secret.key'),
		session: {
			idleMinutes: positiveNumber(env, 'GRIDWATCH_SESSION_IDLE_MINUTES', 30),
			absoluteHours: positiveNumber(env, 'GRIDWATCH_SESSION_MAX_HOURS', 12)
		},
		fixedNow,
		staleMinutes: positiveNumber(env, 'GRIDWATCH_STALE_MINUTES', 26 * 60),
		logLevel
	};
}
