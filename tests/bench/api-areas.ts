/**
 * Benchmark: start-up times and GET /api/areas?level=grid latency, on PGlite and on PostGIS,
 * against the built app (`npm run build` first). Baseline: the same day's grid figures computed
 * by a naive spatial join of the raw records at read time, which the rollup design avoids.
 *
 * Usage: npm run build && npm run bench            (PGlite only)
 *        BENCH_DATABASE_URL=postgres://… npm run bench   (also PostGIS; the database is loaded if empty)
 * Writes bench-results/api-areas.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../support/server';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import { migrate } from '../../src/lib/server/db/migrate';
import { loadDemo } from '../../src/lib/server/demo/load';
import { TEST_SECRET } from '../../src/lib/server/secret';
import { getAreaFeatures } from '../../src/lib/server/queries/areas';
import type { Db } from '../../src/lib/server/db/types';
import { createUser } from '../../src/lib/features/auth/server/users.server';
import { Client } from '../support/http';
import { randomBytes } from 'node:crypto';
import { round, stats } from './stats';

const REQUESTS = 200;

function days(): string[] {
	const out: string[] = [];
	for (let d = Date.UTC(2020, 0, 20); d <= Date.UTC(2020, 1, 28); d += 86_400_000)
		out.push(new Date(d).toISOString().slice(0, 10));
	return out;
}

async function requestLatencies(client: Client): Promise<number[]> {
	const all = days();
	const samples: number[] = [];
	// Warm-up.
	await (await client.get('/api/areas?level=grid&date=2020-02-28')).arrayBuffer();
	for (let i = 0; i < REQUESTS; i++) {
		const started = performance.now();
		const response = await client.get(`/api/areas?level=grid&date=${all[i % all.length]}`);
		const body = await response.arrayBuffer();
		if (!response.ok || body.byteLength < 1000) throw new Error(`bad response ${response.status}`);
		samples.push(performance.now() - started);
	}
	return samples;
}

/** The baseline: observed households, returnees due and screened per grid, joined spatially at read time. */
const NAIVE_GRID_FIGURES = `
	SELECT g.code,
	       (SELECT count(DISTINCT o.household_id) FROM observation o JOIN household h ON h.id = o.household_id
	         WHERE ST_Covers(g.geom, h.geom) AND o.start_date <= $1::date AND $1::date < o.end_date) AS observed,
	       (SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id
	         WHERE ST_Covers(g.geom, h.geom) AND p.returnee AND p.arrival_date <= $1::date) AS due,
	       (SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id
	         WHERE ST_Covers(g.geom, h.geom) AND p.returnee AND p.arrival_date <= $1::date
	           AND EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= $1::date)) AS screened,
	       (SELECT count(*) FROM household h WHERE ST_Covers(g.geom, h.geom)) AS households
	FROM grid g`;

async function queryTimes(
	db: Db
): Promise<{ rollup: ReturnType<typeof stats>; naiveSpatialJoin: ReturnType<typeof stats> }> {
	const all = days();
	const rollup: number[] = [];
	const naive: number[] = [];
	for (let i = 0; i < 10; i++) {
		let t = performance.now();
		await getAreaFeatures(db, 'grid', all[i * 4]);
		rollup.push(performance.now() - t);
		t = performance.now();
		await db.query(NAIVE_GRID_FIGURES, [all[i * 4]]);
		naive.push(performance.now() - t);
	}
	return { rollup: stats(rollup), naiveSpatialJoin: stats(naive) };
}

export async function main(): Promise<number> {
	const results: Record<string, unknown> = {
		requests: REQUESTS,
		date: new Date().toISOString(),
		cpus: (await import('node:os')).cpus().length
	};

	// PGlite: cold start on an empty folder (PostGIS unpack + migrations + demo load), then warm.
	const dataDir = mkdtempSync(join(tmpdir(), 'gridwatch-bench-'));
	try {
		let t = performance.now();
		const cold = await startServer({ GRIDWATCH_DATA_DIR: dataDir }, 600_000);
		const coldStartMs = performance.now() - t;
		await cold.stop();
		t = performance.now();
		const warm = await startServer({ GRIDWATCH_DATA_DIR: dataDir });
		const warmStartMs = performance.now() - t;
		const client = new Client(warm.url);
		await client.signInAsDemo('demo-leader');
		const latencies = await requestLatencies(client);
		await warm.stop();
		const db = await openPglite(dataDir);
		const queries = await queryTimes(db);
		await db.close();
		results.pglite = {
			coldStartMs: round(coldStartMs),
			warmStartMs: round(warmStartMs),
			apiAreasGrid: stats(latencies),
			queries
		};
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}

	const url = process.env.BENCH_DATABASE_URL;
	if (url) {
		const db = await openPostgres(url);
		await migrate(db);
		const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subdistrict');
		if (n === 0) await loadDemo(db, TEST_SECRET);
		// A leader account for the run (server mode has no demo sign-in).
		const password = randomBytes(18).toString('base64url');
		await db.transaction(async (tx) => {
			await tx.query(`DELETE FROM app_user WHERE username = 'bench-leader'`);
			const [{ id }] = await tx.query<{ id: number }>(
				'SELECT id FROM subdistrict ORDER BY id LIMIT 1'
			);
			await createUser(tx, {
				subdistrictId: id,
				username: 'bench-leader',
				displayName: 'bench',
				role: 'leader',
				password,
				areaCodes: []
			});
		});
		const queries = await queryTimes(db);
		await db.close();
		const t = performance.now();
		const server = await startServer({ DATABASE_URL: url });
		const startMs = performance.now() - t;
		const client = new Client(server.url);
		const signin = await client.postForm('/signin?/signin', {
			username: 'bench-leader',
			password,
			next: '/'
		});
		if (signin.status !== 303) throw new Error(`bench sign-in failed: ${signin.status}`);
		const latencies = await requestLatencies(client);
		await server.stop();
		results.postgis = { startMs: round(startMs), apiAreasGrid: stats(latencies), queries };
	} else {
		results.postgis = 'skipped: set BENCH_DATABASE_URL to measure the PostGIS backend';
	}

	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/api-areas.json', JSON.stringify(results, null, 2));
	console.log(JSON.stringify(results, null, 2));
	return 0;
}
