/**
 * Benchmark: computing the gaps (every rule) for the whole subdistrict and for one grid, on the
 * demo's data at its clock (28 Feb 2020 23:55), on PGlite and — with BENCH_DATABASE_URL — on
 * PostGIS. Also the full queue update (sync_gaps: rules + reconciling the items) for both.
 * Baseline: the subdistrict done grid by grid (99 one-grid runs), as a per-grid job would do it,
 * against the single set-based run.
 *
 * Usage: npm run bench:gaps      Writes bench-results/gaps.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import { migrate } from '../../src/lib/server/db/migrate';
import { loadDemo } from '../../src/lib/server/demo/load';
import { TEST_SECRET } from '../../src/lib/server/secret';
import { gapWindows } from '../../src/lib/features/gaps/model/gaps';
import { syncGaps } from '../../src/lib/features/gaps/server/gaps.server';
import type { Db } from '../../src/lib/server/db/types';
import { copySeededPglite } from '../support/seeded-pglite';
import { stats } from './stats';

const RUNS = Number(process.env.BENCH_GAPS_RUNS ?? 20);
const NOW = Date.parse('2020-02-28T23:55:00+08:00');

async function time(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return performance.now() - started;
}

async function measure(db: Db) {
	const [{ id }] = await db.query<{ id: number }>(
		`SELECT id FROM subdistrict WHERE code = '330114002'`
	);
	const grids = await db.query<{ id: number; code: string }>(
		'SELECT id, code FROM grid WHERE subdistrict_id = $1 ORDER BY code',
		[id]
	);
	const windows = JSON.stringify(gapWindows(NOW));
	const candidates = (grid: number | null) =>
		db.query('SELECT count(*)::int AS n FROM gap_candidates($1, $2, $3::text::jsonb)', [
			id,
			grid,
			windows
		]);
	// The grid with the most records behind its gaps, and an ordinary one.
	const [busiest] = await db.query<{ id: number; code: string }>(
		`SELECT g.id, g.code FROM grid g JOIN person p ON p.grid_id = g.id WHERE g.subdistrict_id = $1 GROUP BY g.id ORDER BY count(*) DESC LIMIT 1`,
		[id]
	);
	await candidates(null); // warm
	const all: number[] = [];
	const one: number[] = [];
	const oneOrdinary: number[] = [];
	for (let k = 0; k < RUNS; k++) {
		all.push(await time(() => candidates(null)));
		one.push(await time(() => candidates(busiest.id)));
		oneOrdinary.push(await time(() => candidates(grids[k % grids.length].id)));
	}
	const [{ n: items }] = await candidates(null);
	// Baseline: grid by grid.
	const perGrid: number[] = [];
	for (let k = 0; k < 3; k++) {
		perGrid.push(
			await time(async () => {
				for (const g of grids) await candidates(g.id);
			})
		);
	}
	// The queue update, steady state (nothing changed since the last run) and one grid.
	const syncAll: number[] = [];
	const syncOne: number[] = [];
	for (let k = 0; k < Math.min(RUNS, 10); k++) {
		syncAll.push(await time(() => db.transaction((tx) => syncGaps(tx, id, NOW))));
		syncOne.push(
			await time(() => db.transaction((tx) => syncGaps(tx, id, NOW, { gridId: busiest.id })))
		);
	}
	return {
		grids: grids.length,
		itemsFound: items,
		busiestGrid: busiest.code,
		rulesSubdistrictMs: stats(all),
		rulesOneGridMs: { busiest: stats(one), any: stats(oneOrdinary) },
		baselineGridByGridMs: stats(perGrid),
		syncSubdistrictMs: stats(syncAll),
		syncOneGridMs: stats(syncOne)
	};
}

export async function main(): Promise<number> {
	const results: Record<string, unknown> = {
		date: new Date().toISOString(),
		cpus: (await import('node:os')).cpus().length,
		runs: RUNS,
		at: '2020-02-28T23:55+08:00'
	};
	const dir = await copySeededPglite('bench-gaps');
	const pglite = await openPglite(dir);
	try {
		results.pglite = await measure(pglite);
	} finally {
		await pglite.close();
		rmSync(dir, { recursive: true, force: true });
	}
	const url = process.env.BENCH_DATABASE_URL;
	if (url) {
		const db = await openPostgres(url);
		try {
			await migrate(db);
			const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subdistrict');
			if (n === 0) await loadDemo(db, TEST_SECRET);
			results.postgis = await measure(db);
		} finally {
			await db.close();
		}
	} else {
		results.postgis = 'skipped: set BENCH_DATABASE_URL to measure the PostGIS backend';
	}
	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/gaps.json', JSON.stringify(results, null, 2));
	console.log(JSON.stringify(results, null, 2));
	return 0;
}
