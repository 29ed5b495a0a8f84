import { FUNCTIONS, MIGRATIONS } from './db/migrate';
import type { Db } from './db/types';
import { say } from './say';
import { changeListenerCount } from './changes';
import { openStreamCount } from './streams';

/** One readiness check: ok, failed (with what is wrong and what to do), or not run because an earlier one failed. */
export interface Check {
	status: 'ok' | 'fail' | 'skipped';
	message?: string;
	[detail: string]: unknown;
}

export interface Readiness {
	status: 'ok' | 'fail';
	/**
	 * Event streams (walls, maps, phones) in this process now: `open` as registered, `listening` for changes. Never a
	 * failure; the two differ, or grow while screens come and go, only if something leaks.
	 */
	streams: { open: number; listening: number };
	checks: { database: Check; migrations: Check; rollup: Check };
}

/** A check may take this long before it counts as failed: a load balancer polls every few seconds. */
const DATABASE_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
	work.catch(() => {}); // a late failure after the timeout must not become an unhandled rejection
	return Promise.race([
		work,
		new Promise<never>((_, fail) =>
			setTimeout(() => fail(new Error(say().core_health_no_answer({ ms }))), ms).unref()
		)
	]);
}

export async function checkDatabase(db: Db): Promise<Check> {
	const started = performance.now();
	try {
		await withTimeout(db.query('SELECT 1 AS up'), DATABASE_TIMEOUT_MS);
		return { status: 'ok', backend: db.backend, ms: Math.round(performance.now() - started) };
	} catch (cause) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		return {
			status: 'fail',
			backend: db.backend,
			message: say().core_health_database_down({ reason })
		};
	}
}

/** Every migration this release bundles is applied, and the database has none this release does not know. */
export async function checkMigrations(db: Db): Promise<Check> {
	const rows = await db.query<{ version: string }>(
		'SELECT version FROM schema_migration ORDER BY version'
	);
	const applied = new Set(rows.map((row) => row.version));
	const known = new Set(MIGRATIONS.map((m) => m.version));
	const pending = MIGRATIONS.map((m) => m.version).filter((version) => !applied.has(version));
	const unknown = [...applied].filter((version) => !known.has(version));
	const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? null;
	const w = say();
	const list = (items: string[]) => items.join(w.core_list_separator());
	if (pending.length) {
		return {
			status: 'fail',
			latest,
			pending,
			message: w.core_health_migrations_pending({ versions: list(pending) })
		};
	}
	if (unknown.length) {
		return {
			status: 'fail',
			latest,
			unknown,
			message: w.core_health_migrations_unknown({ versions: list(unknown) })
		};
	}
	const functions = await db.query<{ name: string; checksum: string }>(
		'SELECT name, checksum FROM schema_function'
	);
	const appliedFunctions = new Map(functions.map((row) => [row.name, row.checksum]));
	const stale = FUNCTIONS.filter((f) => appliedFunctions.get(f.version) !== f.checksum).map(
		(f) => f.version
	);
	if (stale.length) {
		return {
			status: 'fail',
			latest,
			functions: stale,
			message: w.core_health_functions_stale({ names: list(stale) })
		};
	}
	return { status: 'ok', latest };
}

/**
 * The per-grid per-day rollup (grid_day, subdistrict_day) is what every map, wall and summary
 * reads. Per subdistrict it fails when
 *   - there is no rollup at all (records loaded without `SELECT refresh_grid_day(…)`),
 *   - it is behind the records: a daily report, or a screening on the day after its last day, exists
 *     (a write whose refresh failed, or a load that skipped it),
 *   - it was last rebuilt longer ago than the stale threshold (GRIDWATCH_STALE_MINUTES, the same
 *     that makes the wall warn): nothing has been written, or refreshes are failing.
 * `clock` is the application's now (src/lib/server/clock.ts).
 */
export async function checkRollup(db: Db, clock: number, staleMinutes: number): Promise<Check> {
	const rows = await db.query<{
		id: number;
		lastDay: string | null;
		builtAt: string | null;
		lastReport: string | null;
		screenedAfter: string | null;
	}>(
		`SELECT s.id, r.last_day::text AS "lastDay", r.built_at::text AS "builtAt",
		        (SELECT max(report_date)::text FROM daily_report d WHERE d.subdistrict_id = s.id) AS "lastReport",
		        CASE WHEN r.last_day IS NULL THEN NULL ELSE data_as_of(s.id, r.last_day + 1)::text END AS "screenedAfter"
		 FROM subdistrict s
		 CROSS JOIN LATERAL (
		   SELECT (SELECT max(day) FROM grid_day g WHERE g.subdistrict_id = s.id) AS last_day,
		          (SELECT max(as_of) FROM subdistrict_day d WHERE d.subdistrict_id = s.id) AS built_at
		 ) r
		 ORDER BY s.id`
	);
	const w = say();
	if (rows.length === 0) return { status: 'ok', subdistricts: 0, message: w.core_health_no_data() };
	const problems: string[] = [];
	let oldest: number | null = null;
	for (const row of rows) {
		if (!row.lastDay || !row.builtAt) {
			problems.push(w.core_health_rollup_missing({ id: row.id }));
			continue;
		}
		if ((row.lastReport && row.lastReport > row.lastDay) || row.screenedAfter) {
			problems.push(w.core_health_rollup_behind({ id: row.id, lastDay: row.lastDay }));
		}
		const ageMinutes = Math.max(0, Math.round((clock - Date.parse(row.builtAt)) / 60_000));
		oldest = Math.max(oldest ?? 0, ageMinutes);
		if (ageMinutes > staleMinutes) {
			problems.push(
				w.core_health_rollup_stale({ id: row.id, minutes: ageMinutes, threshold: staleMinutes })
			);
		}
	}
	const base = {
		subdistricts: rows.length,
		lastDay:
			rows
				.map((r) => r.lastDay)
				.sort()
				.at(-1) ?? null,
		ageMinutes: oldest,
		staleMinutes
	};
	return problems.length
		? { status: 'fail', ...base, message: problems.join('; ') }
		: { status: 'ok', ...base };
}

/** All three, in order; a check that cannot run because the database is down is `skipped`. */
export async function checkReadiness(
	db: Db,
	clockOf: () => Promise<number>,
	staleMinutes: number
): Promise<Readiness> {
	const database = await checkDatabase(db);
	if (database.status !== 'ok') {
		const skipped: Check = { status: 'skipped' };
		return {
			status: 'fail',
			streams: { open: openStreamCount(), listening: changeListenerCount() },
			checks: { database, migrations: skipped, rollup: skipped }
		};
	}
	const guarded = async (run: () => Promise<Check>): Promise<Check> => {
		try {
			return await withTimeout(run(), DATABASE_TIMEOUT_MS);
		} catch (cause) {
			const reason = cause instanceof Error ? cause.message : String(cause);
			return {
				status: 'fail',
				message: say().core_health_check_unfinished({ reason })
			};
		}
	};
	const migrations = await guarded(() => checkMigrations(db));
	const rollup = await guarded(async () => checkRollup(db, await clockOf(), staleMinutes));
	const ok = migrations.status === 'ok' && rollup.status === 'ok';
	return {
		status: ok ? 'ok' : 'fail',
		streams: { open: openStreamCount(), listening: changeListenerCount() },
		checks: { database, migrations, rollup }
	};
}
