import { error } from '@sveltejs/kit';
import type { Queryable } from '../../../server/db/types';
import { checkTopology, type TopologyReport } from '../../../server/topology';
import { say } from '../../../server/say';
import type { AreaKind, AreaRow } from '../model/area-register';
import type { RowProblem } from '../model/problem';
import type { AreaPreview, AreaRepair, TopologyIssue } from '../contract';
import { DATUMS, fromWgs84, toWgs84, type Datum } from '../model/datum';
import type { AreaFile } from './area-file.server';

/**
 * Boundaries against the subdistrict as it is: which areas a file adds, which it changes (name,
 * community, outline), which it leaves as they are, and which it cannot place. Each outline is
 * checked (ST_IsValid) and repaired (ST_MakeValid, polygons kept) as the commit will store it; an
 * area mostly outside the jurisdiction, or a grid whose community is unknown, is refused.
 */
export interface AreaPlan {
	level: 'grid' | 'community';
	inserts: AreaWrite[];
	updates: AreaWrite[];
	unchanged: number;
	/** The unchanged areas (drawn in the dry run). */
	kept: AreaWrite[];
	problems: RowProblem[];
	repairs: AreaRepair[];
	/** Refused for lying outside the jurisdiction: a point of each as the file gave it (for the datum hint). */
	misplaced: [number, number][];
	/** Areas of the file that exist already, and those of them that hardly overlap their stored outline. */
	matched: number;
	farFromStored: number;
}

export interface AreaWrite {
	id: number | null;
	row: number;
	code: string;
	name: string;
	communityId: number | null;
	geometry: string;
}

/** An area counts as in the jurisdiction when at least half of it is. */
const INSIDE_SHARE = 0.5;
/** An outline overlapping its stored one by less than this (intersection over union) was moved, not redrawn. */
const FAR_FROM_STORED = 0.5;
/** Outlines within 1 cm of the stored one are the same (a file written back rounds its coordinates). */
const SAME_OUTLINE_DEGREES = 1e-7;

export const levelOf = (kind: AreaKind) => (kind === 'grids' ? 'grid' : 'community');

interface Analysed {
	row: number;
	valid: boolean;
	reason: string | null;
	beforeM2: number;
	afterM2: number;
	empty: boolean;
	inside: number | null;
	existing: number | null;
	existingName: string | null;
	existingCommunity: number | null;
	sameOutline: boolean;
	/** Intersection over union with the stored outline of the same code (null: none stored). */
	overlap: number | null;
	mostlyIn: number | null;
}

export async function planAreas(
	tx: Queryable,
	subdistrictId: number,
	kind: AreaKind,
	rows: AreaRow[],
	columns: Partial<Record<string, string>>
): Promise<AreaPlan> {
	const level = levelOf(kind);
	const table = level === 'grid' ? 'grid' : 'community';
	const communityOf = level === 'grid' ? 'e.community_id' : 'NULL::int';
	// Fixed SQL per level (never user input); the outline as the commit will store it.
	const analysed = await tx.query<Analysed>(
		`WITH f AS (
		   SELECT x.i, x.code, ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326) AS g
		   FROM unnest($2::int[], $3::text[], $4::text[]) AS x(i, code, g)),
		 v AS (
		   SELECT f.*, ST_IsValid(f.g) AS valid,
		          ST_Multi(ST_CollectionExtract(ST_MakeValid(f.g), 3)) AS fixed
		   FROM f)
		 SELECT v.i AS row, v.valid, CASE WHEN v.valid THEN NULL ELSE ST_IsValidReason(v.g) END AS reason,
		        coalesce(ST_Area(v.g::geography), 0) AS "beforeM2",
		        coalesce(ST_Area(v.fixed::geography), 0) AS "afterM2",
		        ST_IsEmpty(v.fixed) OR ST_Area(v.fixed) = 0 AS empty,
		        CASE WHEN ST_IsEmpty(v.fixed) OR ST_Area(v.fixed) = 0 THEN NULL
		             ELSE ST_Area(ST_Intersection(v.fixed, s.geom)) / ST_Area(v.fixed) END AS inside,
		        e.id AS existing, e.name AS "existingName", ${communityOf} AS "existingCommunity",
		        coalesce(e.geom IS NOT NULL AND (ST_OrderingEquals(e.geom, v.fixed)
		                 OR ST_HausdorffDistance(e.geom, v.fixed) < $5), false) AS "sameOutline",
		        CASE WHEN e.geom IS NULL OR ST_IsEmpty(v.fixed) THEN NULL
		             ELSE ST_Area(ST_Intersection(e.geom, v.fixed)) / nullif(ST_Area(ST_Union(e.geom, v.fixed)), 0) END AS overlap,
		        ${
							level === 'grid'
								? `(SELECT c.id FROM community c WHERE c.subdistrict_id = $1 AND ST_Intersects(c.geom, v.fixed)
		                    ORDER BY ST_Area(ST_Intersection(c.geom, v.fixed)) DESC, c.id LIMIT 1)`
								: 'NULL::int'
						} AS "mostlyIn"
		 FROM v JOIN subdistrict s ON s.id = $1
		 LEFT JOIN ${table} e ON e.subdistrict_id = $1 AND e.code = v.code
		 ORDER BY v.i`,
		[
			subdistrictId,
			rows.map((r) => r.row),
			rows.map((r) => r.code),
			rows.map((r) => r.geometry),
			SAME_OUTLINE_DEGREES
		]
	);
	const communities =
		level === 'grid'
			? await tx.query<{ id: number; code: string; name: string }>(
					'SELECT id, code, name FROM community WHERE subdistrict_id = $1',
					[subdistrictId]
				)
			: [];
	const byText = new Map<string, number>();
	for (const c of communities) {
		byText.set(c.code.replace(/\s+/g, ''), c.id);
		byText.set(c.name.replace(/\s+/g, ''), c.id);
	}
	const plan: AreaPlan = {
		level,
		inserts: [],
		updates: [],
		unchanged: 0,
		kept: [],
		problems: [],
		repairs: [],
		misplaced: [],
		matched: 0,
		farFromStored: 0
	};
	const column = (field: string) => columns[field] ?? field;
	const byRow = new Map(analysed.map((a) => [a.row, a]));
	for (const row of rows) {
		const a = byRow.get(row.row)!;
		if (a.overlap !== null) {
			plan.matched++;
			if (Number(a.overlap) < FAR_FROM_STORED) plan.farFromStored++;
		}
		if (a.empty) {
			plan.problems.push({
				row: row.row,
				column: 'geometry',
				value: a.reason ?? '',
				reason: 'area_empty'
			});
			continue;
		}
		if ((a.inside ?? 0) < INSIDE_SHARE) {
			plan.problems.push({
				row: row.row,
				column: 'geometry',
				value: row.code,
				reason: 'area_outside_jurisdiction',
				detail: `${Math.round((a.inside ?? 0) * 100)}%`
			});
			plan.misplaced.push(row.raw);
			continue;
		}
		let communityId: number | null = null;
		if (level === 'grid') {
			communityId = row.community ? (byText.get(row.community) ?? null) : a.mostlyIn;
			if (communityId === null) {
				plan.problems.push({
					row: row.row,
					column: row.community ? column('community') : 'geometry',
					value: row.community ?? row.code,
					reason: 'community_unknown'
				});
				continue;
			}
		}
		if (!a.valid)
			plan.repairs.push({
				row: row.row,
				code: row.code,
				reason: a.reason ?? '',
				beforeM2: Math.round(Number(a.beforeM2)),
				afterM2: Math.round(Number(a.afterM2))
			});
		const write: AreaWrite = {
			id: a.existing,
			row: row.row,
			code: row.code,
			name: row.name,
			communityId,
			geometry: row.geometry
		};
		if (a.existing === null) plan.inserts.push(write);
		else if (
			a.sameOutline &&
			a.existingName === row.name &&
			(level !== 'grid' || a.existingCommunity === communityId)
		) {
			plan.unchanged++;
			plan.kept.push(write);
		} else plan.updates.push(write);
	}
	plan.problems.sort((x, y) => x.row - y.row);
	return plan;
}

/** Writes a plan's areas; returns each row written with what it was (import_change). */
export async function writeAreas(
	tx: Queryable,
	subdistrictId: number,
	plan: AreaPlan
): Promise<{ table: string; rowId: number; before: unknown }[]> {
	const writes = [...plan.inserts, ...plan.updates];
	if (!writes.length) return [];
	const written = await tx.query<{ row_id: number; before: unknown }>(
		'SELECT row_id, before FROM import_area_write($1, $2, $3::text::jsonb)',
		[
			subdistrictId,
			plan.level,
			JSON.stringify(
				writes.map((w) => ({
					id: w.id,
					code: w.code,
					name: w.name,
					communityId: w.communityId,
					geometry: w.geometry
				}))
			)
		]
	);
	return written.map((w) => ({ table: plan.level, rowId: w.row_id, before: w.before }));
}

/**
 * What the subdistrict's areas of this level would look like with the plan written: the topology
 * check (gaps and overlaps over 1 m², areas leaving their parent), run on the plan written inside a
 * savepoint that is then undone — nothing stays.
 */
export async function topologyWith(
	tx: Queryable,
	subdistrictId: number,
	plan: AreaPlan
): Promise<TopologyReport> {
	await tx.query('SAVEPOINT area_topology');
	try {
		await writeAreas(tx, subdistrictId, plan);
		return await checkTopology(tx, subdistrictId, plan.level);
	} finally {
		await tx.query('ROLLBACK TO SAVEPOINT area_topology');
	}
}

/** Every record placed again by its point (all but `except`); returns the grids that lost or gained one. */
export async function reassignRecords(
	tx: Queryable,
	subdistrictId: number,
	except: number[] = []
): Promise<number[]> {
	const [{ grids }] = await tx.query<{ grids: number[] }>(
		'SELECT reassign_areas($1, $2::int[]) AS grids',
		[subdistrictId, except]
	);
	return grids ?? [];
}

/**
 * Undoes a boundary batch: areas it changed are put back, areas it added are removed and their
 * records placed again without them. Refused while anything but records and derived figures names
 * an added area (a user's scope, staff, a gap item — the gap history is append-only, so an area
 * that has had a gap stays; for a community also its grids, compounds or reports, or a committed
 * grid batch whose rollback would put a grid back in it). Returns the grids whose records moved.
 */
export async function undoAreas(
	tx: Queryable,
	subdistrictId: number,
	batchId: number,
	level: 'grid' | 'community'
): Promise<number[]> {
	const changes = await tx.query<{ id: number; before: unknown }>(
		`SELECT row_id AS id, before FROM import_change WHERE batch_id = $1 AND table_name = $2 ORDER BY seq`,
		[batchId, level]
	);
	const added = changes.filter((c) => c.before === null).map((c) => c.id);
	const [used] = await tx.query<{ code: string }>(
		level === 'community'
			? `SELECT c.code FROM community c WHERE c.id = ANY ($1::int[])
			     AND (EXISTS (SELECT 1 FROM grid g WHERE g.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM compound p WHERE p.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM staff s WHERE s.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM user_scope u WHERE u.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM daily_report r WHERE r.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM gap_item i WHERE i.community_id = c.id)
			          OR EXISTS (SELECT 1 FROM gap_event e WHERE e.community_id = c.id)
			          -- A committed grid batch that moved a grid out of it would put it back there.
			          OR EXISTS (SELECT 1 FROM import_change x JOIN import_batch b ON b.id = x.batch_id AND b.status = 'committed'
			                     WHERE x.table_name = 'grid' AND (x.before->>'communityId')::int = c.id))
			   ORDER BY c.code LIMIT 1`
			: `SELECT g.code FROM grid g WHERE g.id = ANY ($1::int[])
			     AND (EXISTS (SELECT 1 FROM staff s WHERE s.grid_id = g.id)
			          OR EXISTS (SELECT 1 FROM user_scope u WHERE u.grid_id = g.id)
			          OR EXISTS (SELECT 1 FROM gap_item i WHERE i.grid_id = g.id)
			          OR EXISTS (SELECT 1 FROM gap_event e WHERE e.grid_id = g.id))
			   ORDER BY g.code LIMIT 1`,
		[added]
	);
	if (used)
		error(409, {
			message: say().intake_rollback_area_in_use({ id: String(batchId), area: used.code }),
			code: 'conflict'
		});
	const restore = (rows: { id: number; before: unknown }[]) =>
		tx.query('SELECT import_area_restore($1, $2, $3::text::jsonb)', [
			subdistrictId,
			level,
			JSON.stringify(rows)
		]);
	await restore(changes.filter((c) => c.before !== null));
	const moved = level === 'grid' ? await reassignRecords(tx, subdistrictId, added) : [];
	await restore(changes.filter((c) => c.before === null));
	return moved;
}

/** The most outlines a dry run draws, and topology issues it lists. */
const DRAWN = 2_000;
const LISTED_ISSUES = 200;

/** The dry run's part for a boundary file: repairs, topology with the file written, and the outlines. */
export async function areaPreview(
	tx: Queryable,
	subdistrictId: number,
	plan: AreaPlan,
	file: Pick<AreaFile, 'format' | 'encoding' | 'projection'>
): Promise<AreaPreview> {
	const report = await topologyWith(tx, subdistrictId, plan);
	const topology: TopologyIssue[] = [
		...report.gaps.map((g) => ({
			kind: 'gap' as const,
			areas: g.areas,
			areaM2: g.areaM2,
			at: g.at
		})),
		...report.overlaps.map((o) => ({
			kind: 'overlap' as const,
			areas: o.areas,
			areaM2: o.areaM2,
			at: o.at
		})),
		...report.outside
			.filter((o) => o.outsideM2 > 1)
			.map((o) => ({
				kind: 'outside' as const,
				areas: [o.area, o.parent],
				areaM2: o.outsideM2,
				at: null
			}))
	]
		.sort((a, b) => b.areaM2 - a.areaM2)
		.slice(0, LISTED_ISSUES)
		.map((i) => ({ ...i, areaM2: Math.round(i.areaM2 * 10) / 10 }));
	const drawn = [
		...plan.inserts.map((w) => ({ w, status: 'new' as const })),
		...plan.updates.map((w) => ({ w, status: 'updated' as const })),
		...plan.kept.map((w) => ({ w, status: 'unchanged' as const }))
	].slice(0, DRAWN);
	// As stored (repaired), simplified to about a metre for drawing.
	const shapes = await tx.query<{ i: number; g: string }>(
		`SELECT x.i, ST_AsGeoJSON(ST_SimplifyPreserveTopology(
		          ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326)), 3)), 0.00001), 6) AS g
		 FROM unnest($1::text[]) WITH ORDINALITY AS x(g, i) ORDER BY x.i`,
		[drawn.map((d) => d.w.geometry)]
	);
	return {
		level: plan.level,
		format: file.format,
		encoding: file.encoding ?? null,
		projection: file.projection,
		repairs: plan.repairs,
		topology,
		outlines: {
			type: 'FeatureCollection',
			features: shapes.map((s, k) => ({
				type: 'Feature' as const,
				properties: { code: drawn[k].w.code, name: drawn[k].w.name, status: drawn[k].status },
				geometry: JSON.parse(s.g)
			}))
		}
	};
}

/** Whether a file's outlines look as if read in the wrong datum: most lie outside, or far from their stored selves. */
export const datumSuspect = (plan: AreaPlan) =>
	plan.misplaced.length > plan.inserts.length + plan.updates.length + plan.unchanged ||
	(plan.matched > 0 && plan.farFromStored > plan.matched / 2);

/** Each position of a GeoJSON (multi)polygon taken from one datum to another. */
function shift(geometry: string, from: Datum, to: Datum): string {
	const g = JSON.parse(geometry) as { type: string; coordinates: unknown };
	const walk = (c: unknown): unknown =>
		Array.isArray(c) && typeof c[0] === 'number'
			? toWgs84(to, ...fromWgs84(from, c[0], c[1]))
			: Array.isArray(c)
				? c.map(walk)
				: c;
	return JSON.stringify({ type: g.type, coordinates: walk(g.coordinates) });
}

/**
 * The datum in which most of a file's outlines (up to 50 of them) fit — overlapping their stored
 * selves, or lying in the jurisdiction when new — if not the declared one: what the file's
 * coordinates probably are (GCJ-02 from AMap or Tencent, BD-09 from Baidu).
 */
export async function areaDatumHint(
	tx: Queryable,
	subdistrictId: number,
	level: 'grid' | 'community',
	declared: Datum,
	rows: AreaRow[]
): Promise<Datum | null> {
	const sample = rows.slice(0, 50);
	if (!sample.length) return null;
	for (const datum of DATUMS.filter((d) => d !== declared)) {
		const [{ fits }] = await tx.query<{ fits: number }>(
			`SELECT count(*) FILTER (WHERE CASE WHEN e.geom IS NOT NULL
			          THEN ST_Area(ST_Intersection(e.geom, f.g)) / nullif(ST_Area(ST_Union(e.geom, f.g)), 0)
			          ELSE ST_Area(ST_Intersection(s.geom, f.g)) / nullif(ST_Area(f.g), 0) END >= $4)::int AS fits
			 FROM (SELECT x.code, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326)), 3)) AS g
			       FROM unnest($2::text[], $3::text[]) AS x(code, g)) f
			 JOIN subdistrict s ON s.id = $1
			 LEFT JOIN ${level === 'grid' ? 'grid' : 'community'} e ON e.subdistrict_id = $1 AND e.code = f.code`,
			[
				subdistrictId,
				sample.map((r) => r.code),
				sample.map((r) => shift(r.geometry, declared, datum)),
				FAR_FROM_STORED
			]
		);
		if (fits > sample.length / 2) return datum;
	}
	return null;
}
