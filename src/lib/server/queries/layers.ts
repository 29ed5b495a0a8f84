import { hexBin, hexGrid } from '../../domain/hexbin';
import type { LngLat } from '../../domain/geo';
import type { Queryable } from '../db/types';
import { protectCount } from '../../domain/suppression';
import { SHIFTS, type ShiftName } from '../../core/time';
import type { CheckpointPoint, Hexagon, Place, ResumptionPoint } from '../../map/layers';
import type { GridDetail } from '../../features/map/contract';

/** Every checkpoint with its staffing for one shift of one day; a post not held then is `not_held`. */
export async function getCheckpoints(
	db: Queryable,
	subdistrictId: number,
	day: string,
	shift: ShiftName
): Promise<CheckpointPoint[]> {
	const slot = SHIFTS.indexOf(shift);
	const rows = await db.query<{
		code: string;
		name: string;
		kind: CheckpointPoint['kind'];
		gridCode: string | null;
		communityName: string | null;
		requiredStaff: number;
		held: boolean;
		assigned: number;
		present: number;
		lng: number;
		lat: number;
	}>(
		`SELECT c.code, c.name, c.kind, g.code AS "gridCode", cm.name AS "communityName", c.required_staff AS "requiredStaff",
		        (c.opens_on <= $2::date AND (c.closes_on IS NULL OR $2::date < c.closes_on) AND $3 < c.hours_per_day / 8) AS held,
		        coalesce(st.assigned, 0) AS assigned, coalesce(st.present, 0) AS present,
		        ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat
		 FROM checkpoint c
		 LEFT JOIN grid g ON g.id = c.grid_id
		 LEFT JOIN community cm ON cm.id = c.community_id
		 LEFT JOIN checkpoint_shift_staffing($1, $2::date, $3) st ON st.checkpoint_id = c.id
		 WHERE c.subdistrict_id = $1
		 ORDER BY c.code`,
		[subdistrictId, day, slot]
	);
	return rows.map(({ held, lng, lat, ...row }) => ({
		...row,
		status: !held
			? 'not_held'
			: row.present >= row.requiredStaff
				? 'full'
				: row.present > 0
					? 'short'
					: 'empty',
		position: [Number(lng), Number(lat)]
	}));
}

/** One shift's staffing on each of `days` days up to `lastDay`: people present (capped at each post's need) over people needed. */
export interface ShiftStaffingDay {
	day: string;
	requiredStaff: number;
	staffedStaff: number;
}

/**
 * The same shift (e.g. 22:00–06:00) on each of the `days` days up to `lastDay`, over the posts held
 * then, counted as the checkpoints layer counts them (min(present, required) ÷ required). The wall
 * compares its running shift with this series, never with a whole day's rollup.
 */
export async function getShiftStaffingSeries(
	db: Queryable,
	subdistrictId: number,
	lastDay: string,
	days: number,
	shift: ShiftName
): Promise<ShiftStaffingDay[]> {
	const slot = SHIFTS.indexOf(shift);
	return db.query<ShiftStaffingDay>(
		// The staffing function runs once per day (not once per post), then meets the posts held that day.
		`WITH days AS (SELECT d::date AS day FROM generate_series($2::date - ($3::int - 1), $2::date, interval '1 day') AS d),
		      staffing AS (SELECT days.day, st.checkpoint_id, st.present FROM days, LATERAL checkpoint_shift_staffing($1, days.day, $4) st)
		 SELECT days.day::text AS day,
		        coalesce(sum(c.required_staff), 0)::int AS "requiredStaff",
		        coalesce(sum(least(coalesce(s.present, 0), c.required_staff)), 0)::int AS "staffedStaff"
		 FROM days
		 LEFT JOIN checkpoint c ON c.subdistrict_id = $1
		   AND c.opens_on <= days.day AND (c.closes_on IS NULL OR days.day < c.closes_on) AND $4 < c.hours_per_day / 8
		 LEFT JOIN staffing s ON s.day = days.day AND s.checkpoint_id = c.id
		 GROUP BY days.day ORDER BY days.day`,
		[subdistrictId, lastDay, days, slot]
	);
}

/** Enterprises or construction projects with their work-resumption status on a day. */
export async function getResumption(
	db: Queryable,
	subdistrictId: number,
	kind: 'enterprise' | 'project',
	day: string
): Promise<ResumptionPoint[]> {
	const staff = kind === 'enterprise' ? 'e.staff_total' : 'e.staff_expected';
	const progress = kind === 'project' ? ', e.progress_pct::float8 AS "progressPct"' : '';
	const rows = await db.query<ResumptionPoint & { lng: number; lat: number }>(
		`SELECT e.code, e.name, g.code AS "gridCode", ${staff} AS staff,
		        CASE WHEN e.resumed_on <= $2::date THEN e.staff_arrived ELSE 0 END AS arrived,
		        coalesce(e.resumed_on <= $2::date, false) AS resumed, e.resumed_on::text AS "resumedOn"${progress},
		        ST_X(e.geom) AS lng, ST_Y(e.geom) AS lat
		 FROM ${kind} e LEFT JOIN grid g ON g.id = e.grid_id
		 WHERE e.subdistrict_id = $1 ORDER BY e.code`,
		[subdistrictId, day]
	);
	return rows.map(({ lng, lat, ...row }) => ({ ...row, position: [Number(lng), Number(lat)] }));
}

/** Hexagon radius (centre to corner) for the observed-households layer. */
export const HEX_RADIUS_M = 250;

/**
 * Households under observation on a day, binned into hexagons fixed to the subdistrict's
 * centroid (the same cells every day). Only cell totals leave the server; with `suppressBelow` = k > 1
 * (a wall) each is shown as `protectCount` gives it: withheld below k, else rounded down to a multiple of k.
 */
export async function getObservedHexagons(
	db: Queryable,
	subdistrictId: number,
	day: string,
	suppressBelow = 0
): Promise<Hexagon[]> {
	const [origin] = await db.query<{ lng: number; lat: number }>(
		'SELECT ST_X(ST_Centroid(geom)) AS lng, ST_Y(ST_Centroid(geom)) AS lat FROM subdistrict WHERE id = $1',
		[subdistrictId]
	);
	if (!origin) return [];
	const rows = await db.query<{ lng: number; lat: number; households: number }>(
		`SELECT ST_X(b.geom) AS lng, ST_Y(b.geom) AS lat, o.households
		 FROM observed_households_by_building($1, $2::date) o JOIN building b ON b.id = o.building_id`,
		[subdistrictId, day]
	);
	const grid = hexGrid(HEX_RADIUS_M, [Number(origin.lng), Number(origin.lat)]);
	const cells = hexBin(
		rows.map((r) => ({ position: [Number(r.lng), Number(r.lat)], weight: r.households })),
		grid
	);
	return cells.map(({ q, r, count, ring }) => ({
		q,
		r,
		households: protectCount(count, suppressBelow),
		ring
	}));
}

/** A grid's compounds and buildings for the drill-down below grid level. */
export async function getGridDetail(
	db: Queryable,
	subdistrictId: number,
	gridCode: string,
	day: string,
	clock: number
): Promise<GridDetail | null> {
	const [grid] = await db.query<{
		id: number;
		code: string;
		name: string;
		communityCode: string;
		communityName: string;
		communityNameEn: string;
	}>(
		`SELECT g.id, g.code, g.name, c.code AS "communityCode", c.name AS "communityName", c.name_en AS "communityNameEn"
		 FROM grid g JOIN community c ON c.id = g.community_id WHERE g.subdistrict_id = $1 AND g.code = $2`,
		[subdistrictId, gridCode]
	);
	if (!grid) return null;
	const buildings = await db.query<
		{
			code: string;
			compoundId: number | null;
			compoundCode: string | null;
			floors: number;
			lng: number;
			lat: number;
		} & Record<string, number>
	>(
		`SELECT b.code, b.compound_id AS "compoundId", cp.code AS "compoundCode", b.floors, ST_X(b.geom) AS lng, ST_Y(b.geom) AS lat,
		        f.households, f.residents, f.observed_households AS "observedHouseholds", f.observed_persons AS "observedPersons",
		        f.returnees_due AS "returneesDue", f.returnees_screened AS "returneesScreened", f.persons_screened_cum AS "personsScreenedCum"
		 FROM grid_building_figures($1, $2, $3::date) f JOIN building b ON b.id = f.building_id
		 LEFT JOIN compound cp ON cp.id = b.compound_id
		 ORDER BY b.code`,
		[subdistrictId, grid.id, day]
	);
	const compoundIds = [
		...new Set(buildings.map((b) => b.compoundId).filter((id): id is number => id !== null))
	];
	const compounds = compoundIds.length
		? await db.query<{ id: number; code: string; name: string; geometry: string; areaKm2: number }>(
				`SELECT cp.id, cp.code, cp.name,
				        ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(cp.geom, g.geom), 3), 7) AS geometry,
				        ST_Area(ST_Intersection(cp.geom, g.geom)::geography) / 1e6 AS "areaKm2"
				 FROM compound cp JOIN grid g ON g.id = $1
				 WHERE cp.id IN (SELECT (jsonb_array_elements_text($2::text::jsonb))::int)
				 ORDER BY cp.code`,
				[grid.id, JSON.stringify(compoundIds)]
			)
		: [];
	// Checkpoint staffing per compound over the day's shifts begun by `clock`, with the grid_day definitions.
	const staffing = await db.query<{
		compoundId: number;
		checkpoints: number;
		required: number;
		staffed: number;
	}>(
		`WITH open_cp AS (
			SELECT c.id, c.compound_id, c.required_staff, c.hours_per_day FROM checkpoint c
			WHERE c.grid_id = $1 AND c.compound_id IS NOT NULL AND c.opens_on <= $3::date AND (c.closes_on IS NULL OR $3::date < c.closes_on)
		 ), slots AS (
			SELECT s.checkpoint_id, s.present, n.slot FROM generate_series(0, 2) AS n(slot)
			CROSS JOIN LATERAL checkpoint_shift_staffing($2, $3::date, n.slot) s
		 )
		 SELECT oc.compound_id AS "compoundId", count(DISTINCT oc.id)::int AS checkpoints,
		        (SELECT sum(o2.required_staff * 8 * least(o2.hours_per_day / 8, shift_slots_begun($3::date, to_timestamp($4 / 1000.0))))
		         FROM open_cp o2 WHERE o2.compound_id = oc.compound_id)::int AS required,
		        coalesce(sum(least(sl.present, oc.required_staff) * 8)
		          FILTER (WHERE sl.slot < least(oc.hours_per_day / 8, shift_slots_begun($3::date, to_timestamp($4 / 1000.0)))), 0)::int AS staffed
		 FROM open_cp oc LEFT JOIN slots sl ON sl.checkpoint_id = oc.id
		 GROUP BY oc.compound_id`,
		[grid.id, subdistrictId, day, clock]
	);
	const staffingOf = new Map(staffing.map((s) => [s.compoundId, s]));
	return {
		grid: {
			code: grid.code,
			name: grid.name,
			communityCode: grid.communityCode,
			communityName: grid.communityName,
			communityNameEn: grid.communityNameEn
		},
		compounds: compounds.map((cp) => {
			const inside = buildings.filter((b) => b.compoundId === cp.id);
			const sum = (key: string) => inside.reduce((s, b) => s + Number(b[key]), 0);
			const st = staffingOf.get(cp.id);
			return {
				type: 'Feature' as const,
				id: cp.code,
				geometry: JSON.parse(cp.geometry),
				properties: {
					code: cp.code,
					name: cp.name,
					// Compounds have no romanised name on record: English shows the proper name as registered.
					nameEn: cp.name,
					communityCode: grid.communityCode,
					communityName: grid.communityName,
					communityNameEn: grid.communityNameEn,
					level: 'compound' as const,
					areaKm2: Number(cp.areaKm2),
					buildings: inside.length,
					householdsRegistered: sum('households'),
					residentsRegistered: sum('residents'),
					observedHouseholds: sum('observedHouseholds'),
					observedPersons: sum('observedPersons'),
					returneesDue: sum('returneesDue'),
					returneesScreened: sum('returneesScreened'),
					personsScreenedCum: sum('personsScreenedCum'),
					checkpointsOpen: st?.checkpoints ?? 0,
					requiredShiftHours: st?.required ?? 0,
					staffedShiftHours: st?.staffed ?? 0
				}
			};
		}),
		buildings: buildings.map((b) => ({
			code: b.code,
			compoundCode: b.compoundCode,
			floors: Number(b.floors),
			households: Number(b.households),
			position: [Number(b.lng), Number(b.lat)] as LngLat
		}))
	};
}

/** Everything the search box can find, with extents to fly to. */
export async function getPlaces(db: Queryable, subdistrictId: number): Promise<Place[]> {
	const rows = await db.query<
		Omit<Place, 'bbox'> & { minx: number; miny: number; maxx: number; maxy: number }
	>(
		`SELECT 'community' AS kind, c.code, c.name, c.name_en AS "nameEn", c.code AS "communityCode", NULL AS "gridCode",
		        ST_XMin(c.geom) AS minx, ST_YMin(c.geom) AS miny, ST_XMax(c.geom) AS maxx, ST_YMax(c.geom) AS maxy
		 FROM community c WHERE c.subdistrict_id = $1
		 UNION ALL
		 SELECT 'grid', g.code, g.name, c.name_en || ' grid ' || ltrim(right(g.code, 2), '0'), c.code, g.code,
		        ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)
		 FROM grid g JOIN community c ON c.id = g.community_id WHERE g.subdistrict_id = $1
		 UNION ALL
		 SELECT 'compound', cp.code, cp.name, cp.name, c.code,
		        (SELECT g.code FROM building b JOIN grid g ON g.id = b.grid_id WHERE b.compound_id = cp.id GROUP BY g.code ORDER BY count(*) DESC, g.code LIMIT 1),
		        ST_XMin(cp.geom), ST_YMin(cp.geom), ST_XMax(cp.geom), ST_YMax(cp.geom)
		 FROM compound cp JOIN community c ON c.id = cp.community_id WHERE cp.subdistrict_id = $1
		 ORDER BY 1, 2`,
		[subdistrictId]
	);
	return rows.map(({ minx, miny, maxx, maxy, ...p }) => ({
		...p,
		bbox: [Number(minx), Number(miny), Number(maxx), Number(maxy)]
	}));
}
