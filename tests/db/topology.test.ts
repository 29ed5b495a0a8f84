import { beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/lib/server/db/types';
import { checkTopology } from '../../src/lib/server/topology';
import { inRolledBackTransaction, testDb } from './database';

/**
 * Moves one vertex of a grid by `meters` along the line from the grid's centroid through it
 * (positive: outward, into the neighbour or out of the community; negative: inward, leaving a
 * gap). `onCommunityEdge` picks a vertex on the community's outline or one inside it. Returns the grid's code.
 */
async function moveVertex(
	tx: Queryable,
	meters: number,
	onCommunityEdge: boolean
): Promise<string> {
	const [vertex] = await tx.query<{ id: number; code: string; n: number }>(
		`SELECT g.id, g.code, (d.dp).path[2] AS n
		 FROM grid g JOIN community c ON c.id = g.community_id,
		      LATERAL (SELECT ST_DumpPoints(ST_GeometryN(g.geom, 1)) AS dp) d
		 WHERE (d.dp).path[2] > 1 AND (d.dp).path[2] < ST_NPoints(ST_GeometryN(g.geom, 1))
		   AND ST_Intersects((d.dp).geom, ST_Boundary(c.geom)) = $1
		 ORDER BY g.code, n LIMIT 1`,
		[onCommunityEdge]
	);
	// Metres to degrees at 30.3° N.
	await tx.query(
		`WITH v AS (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), $2) AS p, ST_Centroid(geom) AS c, geom FROM grid WHERE id = $1),
		      d AS (SELECT p, geom, ST_X(p) - ST_X(c) AS dx, ST_Y(p) - ST_Y(c) AS dy FROM v)
		 UPDATE grid SET geom = ST_Multi(ST_MakePolygon(ST_SetPoint(ST_ExteriorRing(ST_GeometryN(d.geom, 1)), $2 - 1,
		        ST_Translate(d.p, $3 / 96100.0 * d.dx / sqrt(d.dx * d.dx + d.dy * d.dy), $3 / 110852.0 * d.dy / sqrt(d.dx * d.dx + d.dy * d.dy)))))
		 FROM d WHERE grid.id = $1`,
		[vertex.id, vertex.n, meters]
	);
	return vertex.code;
}

describe('topology check (grids in communities, communities in the subdistrict)', () => {
	let db: Db;
	let subdistrictId: number;
	beforeAll(async () => {
		db = await testDb();
		[{ id: subdistrictId }] = await db.query<{ id: number }>('SELECT id FROM subdistrict');
	});

	it('finds no gap or overlap over 1 m² between the demo grids, and every grid strictly covered by its community', async () => {
		const report = await checkTopology(db, subdistrictId, 'grid');
		expect(report).toEqual({
			level: 'grid',
			parentsChecked: 25,
			gaps: [],
			overlaps: [],
			outside: []
		});
		const [row] = await db.query<{ covered: number }>(
			'SELECT count(*)::int AS covered FROM grid g JOIN community c ON c.id = g.community_id WHERE ST_CoveredBy(g.geom, c.geom)'
		);
		expect(row.covered).toBe(99);
	});

	it('finds no gap or overlap over 1 m² between the demo communities, each strictly covered by the subdistrict', async () => {
		const report = await checkTopology(db, subdistrictId, 'community');
		expect(report).toEqual({
			level: 'community',
			parentsChecked: 1,
			gaps: [],
			overlaps: [],
			outside: []
		});
		const [row] = await db.query<{ covered: number }>(
			'SELECT count(*)::int AS covered FROM community c JOIN subdistrict s ON s.id = c.subdistrict_id WHERE ST_CoveredBy(c.geom, s.geom)'
		);
		expect(row.covered).toBe(25);
	});

	it('reports a gap where a grid vertex moves 20 m inward', async () => {
		const report = await inRolledBackTransaction(async (tx) => {
			await moveVertex(tx, -20, false);
			return checkTopology(tx, subdistrictId, 'grid');
		});
		expect(report.gaps).toHaveLength(1);
		expect(report.gaps[0].areaM2).toBeGreaterThan(100);
		expect(report.overlaps).toEqual([]);
		expect(report.outside).toEqual([]);
	});

	it('reports an overlap, naming both grids, where a vertex moves 20 m into the neighbour', async () => {
		const { code, report } = await inRolledBackTransaction(async (tx) => {
			const code = await moveVertex(tx, 20, false);
			return { code, report: await checkTopology(tx, subdistrictId, 'grid') };
		});
		expect(report.overlaps.length).toBeGreaterThan(0);
		for (const piece of report.overlaps) expect(piece.areas).toContain(code);
		expect(report.overlaps.reduce((sum, p) => sum + p.areaM2, 0)).toBeGreaterThan(100);
		expect(report.gaps).toEqual([]);
	});

	it('reports a grid that leaves its community, with the area outside', async () => {
		const { code, report } = await inRolledBackTransaction(async (tx) => {
			const code = await moveVertex(tx, 20, true);
			return { code, report: await checkTopology(tx, subdistrictId, 'grid') };
		});
		expect(report.outside).toHaveLength(1);
		expect(report.outside[0].area).toBe(code);
		expect(report.outside[0].outsideM2).toBeGreaterThan(100);
	});

	it('reports a gap between communities where a community vertex moves inward', async () => {
		const report = await inRolledBackTransaction(async (tx) => {
			await tx.query(
				`UPDATE community SET geom = ST_Multi(ST_MakePolygon(ST_SetPoint(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1,
				        ST_LineInterpolatePoint(ST_MakeLine(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 2), ST_Centroid(geom)), 0.05))))
				 WHERE id = (SELECT min(id) FROM community)`
			);
			return checkTopology(tx, subdistrictId, 'community');
		});
		expect(report.gaps.length).toBeGreaterThan(0);
		expect(report.gaps[0].areaM2).toBeGreaterThan(1);
	});
});
