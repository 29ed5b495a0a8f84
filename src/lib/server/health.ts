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
			setTimeout(
				() => fail(new Error(say(`${ms} 毫秒内无应答`, `no answer in ${ms} ms`))),
				ms
			).unref()
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
			message: say(`数据库无应答：${reason}`, `The database does not answer: ${reason}`)
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
	if (pending.length) {
		return {
			status: 'fail',
			latest,
			pending,
			message: say(
				`有未执行的数据库迁移：${pending.join('、')}；重启服务即会执行`,
				`Migrations not applied: ${pending.join(', ')}; restarting the service applies them`
			)
		};
	}
	if (unknown.length) {
		return {
			status: 'fail',
			latest,
			unknown,
			message: say(
				`数据库含本版本不认识的迁移 ${unknown.join('、')}：它由更新的版本写入，请运行该版本`,
				`The database has migrations this release does not know (${unknown.join(', ')}): a newer release wrote it; run that release`
			)
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
			message: say(
				`数据库函数与本版本的定义不一致：${stale.join('、')}；重启服务即会更新`,
				`Database functions differ from this release's definitions: ${stale.join(', ')}; restarting the service applies them`
			)
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
	if (rows.length === 0)
		return { status: 'ok', subdistricts: 0, message: say('尚未载入数据', 'No data loaded yet') };
	const problems: string[] = [];
	let oldest: number | null = null;
	for (const row of rows) {
		if (!row.lastDay || !row.builtAt) {
			problems.push(
				say(
					`街道 ${row.id} 没有汇总：载入数据后请执行 SELECT refresh_grid_day(${row.id}, 首日, 末日)`,
					`subdistrict ${row.id} has no rollup: after loading, run SELECT refresh_grid_day(${row.id}, first day, last day)`
				)
			);
			continue;
		}
		if ((row.lastReport && row.lastReport > row.lastDay) || row.screenedAfter) {
			problems.push(
				say(
					`街道 ${row.id} 的汇总止于 ${row.lastDay}，落后于已写入的记录`,
					`subdistrict ${row.id}: the rollup ends on ${row.lastDay}, behind the records written`
				)
			);
		}
		const ageMinutes = Math.max(0, Math.round((clock - Date.parse(row.builtAt)) / 60_000));
		oldest = Math.max(oldest ?? 0, ageMinutes);
		if (ageMinutes > staleMinutes) {
			problems.push(
				say(
					`街道 ${row.id} 的汇总已 ${ageMinutes} 分钟未更新（阈值 ${staleMinutes}）`,
					`subdistrict ${row.id}: the rollup was last rebuilt ${ageMinutes} minutes ago (threshold ${staleMinutes})`
				)
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
				message: say(`检查未完成：${reason}`, `The check did not finish: ${reason}`)
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
