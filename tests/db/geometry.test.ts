import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { testDb } from './database';

/**
 * Gaps and overlaps are measured in the polygons' own plane ([lng, lat], edges straight in
 * degrees) and converted with the local scale (m² per degree² at 30.3° N). Measuring slivers
 * on the geography would report the difference between a long geodesic edge and the same edge
 * split at a T-junction (≈0.7 m bulge over 8 km), which is not a gap in the data.
 */
const M2_PER_DEG2 = 111_319.49 * Math.cos((30.3 * Math.PI) / 180) * 110_852;

describe('demo geometry', () => {
	let db: Db;
	beforeAll(async () => {
		db = await testDb();
	});

	it('has a 54.9 km² jurisdiction (±1 %, on the geography)', async () => {
		const [row] = await db.query<{ km2: number }>(
			'SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM subdistrict'
		);
		expect(Number(row.km2)).toBeGreaterThan(54.9 * 0.99);
		expect(Number(row.km2)).toBeLessThan(54.9 * 1.01);
	});

	it('lies in Xiasha, 120.29–120.41 E, 30.25–30.34 N', async () => {
		const [row] = await db.query<{ xmin: number; xmax: number; ymin: number; ymax: number }>(
			'SELECT ST_XMin(geom) AS xmin, ST_XMax(geom) AS xmax, ST_YMin(geom) AS ymin, ST_YMax(geom) AS ymax FROM subdistrict'
		);
		expect(row.xmin).toBeGreaterThan(120.29);
		expect(row.xmax).toBeLessThan(120.41);
		expect(row.ymin).toBeGreaterThan(30.25);
		expect(row.ymax).toBeLessThan(30.34);
	});

	it('tiles the jurisdiction with the 99 grids: no gap or overlap over 1 m²', async () => {
		const [row] = await db.query<{ gap: number; overlap: number; largestOverlap: number }>(
			`SELECT ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM grid), (SELECT geom FROM subdistrict))) AS gap,
			        coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom))), 0) AS overlap,
			        coalesce(max(ST_Area(ST_Intersection(a.geom, b.geom))), 0) AS "largestOverlap"
			 FROM grid a JOIN grid b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)`
		);
		expect(Number(row.gap) * M2_PER_DEG2).toBeLessThan(1);
		expect(Number(row.overlap) * M2_PER_DEG2).toBeLessThan(1);
	});

	it('puts each grid inside exactly one community, which its rows name', async () => {
		const rows = await db.query<{ code: string; inside: number; named: boolean }>(
			`SELECT g.code,
			        (SELECT count(*)::int FROM community c WHERE ST_Area(ST_Intersection(c.geom, g.geom)) > 0.999 * ST_Area(g.geom)) AS inside,
			        (SELECT ST_Area(ST_Intersection(c.geom, g.geom)) > 0.999 * ST_Area(g.geom) FROM community c WHERE c.id = g.community_id) AS named
			 FROM grid g`
		);
		expect(rows).toHaveLength(99);
		for (const row of rows) expect(row, row.code).toMatchObject({ inside: 1, named: true });
	});

	it('keeps every compound inside its community and every record inside a grid', async () => {
		const [row] = await db.query<{ compoundsOutside: number; unassigned: number }>(
			`SELECT (SELECT count(*)::int FROM compound cp JOIN community c ON c.id = cp.community_id WHERE NOT ST_Covers(c.geom, cp.geom)) AS "compoundsOutside",
			        (SELECT count(*)::int FROM household WHERE grid_id IS NULL)
			      + (SELECT count(*)::int FROM building WHERE grid_id IS NULL)
			      + (SELECT count(*)::int FROM checkpoint WHERE grid_id IS NULL)
			      + (SELECT count(*)::int FROM enterprise WHERE grid_id IS NULL) AS unassigned`
		);
		expect(row).toEqual({ compoundsOutside: 0, unassigned: 0 });
	});
});
