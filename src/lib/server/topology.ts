import type { Queryable } from './db/types';

/**
 * Topology check of one level of areas against their parents, for the demo and for imports:
 * grids within their community, or communities within the subdistrict. Plain SQL on both backends.
 *
 * Gaps and overlaps are cut in the stored plane ([lng, lat]) and measured on the spheroid
 * (geography, m²): an edge that one area splits at a T-junction and its neighbour does not is
 * straight in the plane but parts from it on the spheroid, and that sliver counts (a 1 km edge
 * opens a few millimetres). Coverage is strict ST_CoveredBy: a child that leaves its parent by any
 * amount is reported, with the area outside.
 */
export type TopologyLevel = 'grid' | 'community';

export interface TopologyPiece {
	/** The parent area the gaps lie in, or the two areas that overlap. */
	areas: string[];
	areaM2: number;
	/** A point on the gaps or the overlap (ST_PointOnSurface), [lng, lat]. */
	at: [number, number];
}
export interface TopologyOutside {
	area: string;
	parent: string;
	/** Area of the child outside its parent, m² (0 when it only crosses the boundary by a hair). */
	outsideM2: number;
}
export interface TopologyReport {
	level: TopologyLevel;
	/** How many parents the gap query answered for: all of them, or the check did not run. */
	parentsChecked: number;
	/** Per parent, the parts covered by none of its children, together larger than the threshold. */
	gaps: TopologyPiece[];
	/** Per pair of children (of any parent), the parts both cover, together larger than the threshold. */
	overlaps: TopologyPiece[];
	/** Children not ST_CoveredBy their parent. */
	outside: TopologyOutside[];
}

/** Each level's children (code, geometry, parent code) and parents: fixed SQL, never user input. */
const LEVELS: Record<TopologyLevel, { children: string; parents: string }> = {
	grid: {
		children: `SELECT g.code, g.geom, c.code AS parent, c.geom AS parent_geom
		           FROM grid g JOIN community c ON c.id = g.community_id WHERE g.subdistrict_id = $1`,
		parents: 'SELECT code, geom FROM community WHERE subdistrict_id = $1'
	},
	community: {
		children: `SELECT c.code, c.geom, s.code AS parent, s.geom AS parent_geom
		           FROM community c JOIN subdistrict s ON s.id = c.subdistrict_id WHERE s.id = $1`,
		parents: 'SELECT code, geom FROM subdistrict WHERE id = $1'
	}
};

interface PieceRow {
	areas: string[];
	area_m2: number;
	lng: number;
	lat: number;
}
const toPiece = (r: PieceRow): TopologyPiece => ({
	areas: r.areas,
	areaM2: Number(r.area_m2),
	at: [Number(r.lng), Number(r.lat)]
});

export async function checkTopology(
	db: Queryable,
	subdistrictId: number,
	level: TopologyLevel,
	minAreaM2 = 1
): Promise<TopologyReport> {
	const { children, parents } = LEVELS[level];
	// One row per parent (its gaps together) and per pair of children (their overlap), filtered by
	// area here. On PGlite, ST_Difference of two equal polygons makes the whole query return no rows
	// (no error): equal ones are answered without it, and the report counts the parents it checked.
	const gaps = await db.query<PieceRow>(
		`WITH child AS (${children}),
		      piece AS (SELECT p.code AS parent,
		                       CASE WHEN u.children IS NULL THEN p.geom
		                            WHEN ST_Equals(p.geom, u.children) THEN ST_SetSRID('POLYGON EMPTY'::geometry, 4326)
		                            ELSE ST_Difference(p.geom, u.children) END AS geom
		                FROM (${parents}) p LEFT JOIN (SELECT parent, ST_Union(geom) AS children FROM child GROUP BY parent) u ON u.parent = p.code)
		 SELECT ARRAY[parent] AS areas, ST_Area(geom::geography) AS area_m2,
		        ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
		 FROM piece ORDER BY area_m2 DESC`,
		[subdistrictId]
	);
	const overlaps = await db.query<PieceRow>(
		`WITH child AS (${children}),
		      piece AS (SELECT a.code AS a, b.code AS b, ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS geom
		                FROM child a JOIN child b ON a.code < b.code AND ST_Intersects(a.geom, b.geom))
		 SELECT ARRAY[a, b] AS areas, ST_Area(geom::geography) AS area_m2,
		        ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
		 FROM piece ORDER BY area_m2 DESC`,
		[subdistrictId]
	);
	const outside = await db.query<{ area: string; parent: string; outside_m2: number }>(
		`WITH child AS (${children})
		 SELECT code AS area, parent, coalesce(ST_Area(ST_Difference(geom, parent_geom)::geography), 0) AS outside_m2
		 FROM child WHERE NOT ST_CoveredBy(geom, parent_geom) ORDER BY code`,
		[subdistrictId]
	);
	return {
		level,
		parentsChecked: gaps.length,
		gaps: gaps.map(toPiece).filter((p) => p.areaM2 > minAreaM2),
		overlaps: overlaps.map(toPiece).filter((p) => p.areaM2 > minAreaM2),
		outside: outside.map((r) => ({
			area: r.area,
			parent: r.parent,
			outsideM2: Number(r.outside_m2)
		}))
	};
}
