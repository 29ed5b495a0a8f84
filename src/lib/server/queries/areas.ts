import type { AreaFigures } from '../../domain/metrics';
import { addDays } from '../../core/time';
import type { Queryable } from '../db/types';
import type { AreaFeature } from '../../features/map/contract';

export type AreaLevel = 'community' | 'grid';

/**
 * Staff on duty is a count of distinct people, which grid rows cannot be summed into (someone at
 * posts in two grids counts in both): a grid reads its own row, a community and the subdistrict the
 * rollup's own distinct count for them (community_day, subdistrict_day; migration 0014).
 */
const STAFF_ON_DUTY = {
	grid: 'sum(d.staff_on_duty)::int',
	community:
		'(SELECT cd.staff_on_duty FROM community_day cd WHERE cd.community_id = c.id AND cd.day = $1)',
	subdistrict: (day: string) =>
		`(SELECT sum(sd.staff_on_duty)::int FROM subdistrict_day sd WHERE sd.day = ${day})`
};

const figureColumns = (staffOnDuty: string) => `
	sum(d.households_registered)::int AS "householdsRegistered",
	sum(d.residents_registered)::int AS "residentsRegistered",
	sum(d.observed_households)::int AS "observedHouseholds",
	sum(d.observed_persons)::int AS "observedPersons",
	sum(d.observed_households_cum)::int AS "observedHouseholdsCum",
	sum(d.observed_persons_cum)::int AS "observedPersonsCum",
	sum(d.returnees_due)::int AS "returneesDue",
	sum(d.returnees_screened)::int AS "returneesScreened",
	sum(d.screened_today)::int AS "screenedToday",
	sum(d.persons_screened_cum)::int AS "personsScreenedCum",
	sum(d.overdue_screenings)::int AS "overdueScreenings",
	sum(d.checkpoints_open)::int AS "checkpointsOpen",
	sum(d.required_shift_hours)::int AS "requiredShiftHours",
	sum(d.staffed_shift_hours)::int AS "staffedShiftHours",
	sum(d.understaffed_shifts)::int AS "understaffedShifts",
	${staffOnDuty} AS "staffOnDuty",
	max(d.last_report_date)::text AS "lastReportDate",
	to_char(max(d.last_report_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "lastReportAt"`;

type FigureRow = AreaFigures & { lastReportDate: string | null; lastReportAt: string | null };

/** The data period: first and last day with rollup rows. */
export async function getDataPeriod(
	db: Queryable
): Promise<{ first: string; last: string } | null> {
	const [row] = await db.query<{ first: string | null; last: string | null }>(
		'SELECT min(day)::text AS first, max(day)::text AS last FROM grid_day'
	);
	return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/**
 * Communities or grids with their figures for one day, as GeoJSON features. Reads the
 * per-grid per-day rollup by key; no spatial join at read time.
 */
export async function getAreaFeatures(
	db: Queryable,
	level: AreaLevel,
	day: string,
	gaps?: GapCounts
): Promise<AreaFeature[]> {
	const sql =
		level === 'grid'
			? `SELECT g.code, g.name, c.name_en || ' grid ' || ltrim(right(g.code, 2), '0') AS "nameEn", c.code AS "communityCode", c.name AS "communityName", c.name_en AS "communityNameEn",
			          ST_AsGeoJSON(g.geom, 7) AS geometry, ST_Area(g.geom::geography) / 1e6 AS "areaKm2", ${figureColumns(STAFF_ON_DUTY.grid)}
			   FROM grid g JOIN community c ON c.id = g.community_id
			   LEFT JOIN grid_day d ON d.grid_id = g.id AND d.day = $1
			   GROUP BY g.id, c.id ORDER BY g.code`
			: `SELECT c.code, c.name, c.name_en AS "nameEn", c.code AS "communityCode", c.name AS "communityName", c.name_en AS "communityNameEn",
			          ST_AsGeoJSON(c.geom, 7) AS geometry, ST_Area(c.geom::geography) / 1e6 AS "areaKm2", ${figureColumns(STAFF_ON_DUTY.community)}
			   FROM community c
			   LEFT JOIN grid_day d ON d.community_id = c.id AND d.day = $1
			   GROUP BY c.id ORDER BY c.code`;
	const rows = await db.query<
		FigureRow & {
			code: string;
			name: string;
			nameEn: string;
			communityCode: string;
			communityName: string;
			communityNameEn: string;
			geometry: string;
			areaKm2: number;
		}
	>(sql, [day]);
	return rows.map(({ geometry, ...properties }) => ({
		type: 'Feature',
		id: properties.code,
		geometry: JSON.parse(geometry),
		properties: {
			...withZeros(properties),
			level,
			areaKm2: Number(properties.areaKm2),
			...(gaps
				? { openGaps: (level === 'grid' ? gaps.grids : gaps.communities).get(properties.code) ?? 0 }
				: {})
		}
	}));
}

/** Open gap items per grid and community code (see features/gaps/server/gaps.server.ts openGapCounts). */
export interface GapCounts {
	grids: Map<string, number>;
	communities: Map<string, number>;
	total: number;
}

/** SUM over no rows is NULL: a grid with no rollup row for the day reads as zeros (no data is marked elsewhere). */
function withZeros<T extends object>(row: T): T {
	const out = { ...row } as Record<string, unknown>;
	for (const [key, value] of Object.entries(out))
		if (value === null && key !== 'lastReportDate' && key !== 'lastReportAt') out[key] = 0;
	return out as T;
}

export interface Summary {
	day: string;
	subdistrict: { code: string; name: string; nameEn: string; areaKm2: number };
	communities: number;
	grids: number;
	figures: FigureRow;
	previous: FigureRow | null;
	staffTotal: number;
	enterprises: { total: number; resumed: number };
	projects: { total: number; resumed: number };
	communitiesReported: number;
}

/** Subdistrict totals for one day, with the day before for day-on-day change. */
export async function getSummary(db: Queryable, day: string): Promise<Summary | null> {
	const [area] = await db.query<{
		id: number;
		code: string;
		name: string;
		nameEn: string;
		areaKm2: number;
		communities: number;
		grids: number;
	}>(
		`SELECT s.id, s.code, s.name, s.name_en AS "nameEn", ST_Area(s.geom::geography) / 1e6 AS "areaKm2",
		        (SELECT count(*)::int FROM community c WHERE c.subdistrict_id = s.id) AS communities,
		        (SELECT count(*)::int FROM grid g WHERE g.subdistrict_id = s.id) AS grids
		 FROM subdistrict s ORDER BY s.id LIMIT 1`
	);
	if (!area) return null;
	const figuresFor = async (d: string) => {
		const [row] = await db.query<FigureRow & { n: number }>(
			`SELECT count(*)::int AS n, ${figureColumns(STAFF_ON_DUTY.subdistrict('$1'))} FROM grid_day d WHERE d.day = $1`,
			[d]
		);
		if (!row || row.n === 0) return null;
		const { n: _n, ...figures } = row;
		return withZeros<FigureRow>(figures);
	};
	const figures = await figuresFor(day);
	if (!figures) return null;
	const [counts] = await db.query<{
		staff: number;
		enterprises: number;
		resumed: number;
		projects: number;
		projectsResumed: number;
		reported: number;
	}>(
		`SELECT subdistrict_staff_count($2) AS staff,
		        (SELECT count(*)::int FROM enterprise) AS enterprises,
		        (SELECT count(*)::int FROM enterprise WHERE resumed_on <= $1) AS resumed,
		        (SELECT count(*)::int FROM project) AS projects,
		        (SELECT count(*)::int FROM project WHERE resumed_on <= $1) AS "projectsResumed",
		        (SELECT count(*)::int FROM daily_report WHERE report_date = $1) AS reported`,
		[day, area.id]
	);
	return {
		day,
		subdistrict: {
			code: area.code,
			name: area.name,
			nameEn: area.nameEn,
			areaKm2: Number(area.areaKm2)
		},
		communities: area.communities,
		grids: area.grids,
		figures,
		previous: await figuresFor(addDays(day, -1)),
		staffTotal: counts.staff,
		enterprises: { total: counts.enterprises, resumed: counts.resumed },
		projects: { total: counts.projects, resumed: counts.projectsResumed },
		communitiesReported: counts.reported
	};
}

export interface TrendDay extends FigureRow {
	day: string;
	enterprises: number;
	enterprisesResumed: number;
	communitiesReported: number;
}

/** Subdistrict totals for each of the `days` days up to `day` (oldest first), for trend lines. */
export async function getTrend(db: Queryable, day: string, days: number): Promise<TrendDay[]> {
	const rows = await db.query<TrendDay>(
		`SELECT d.day::text AS day, ${figureColumns(STAFF_ON_DUTY.subdistrict('d.day'))},
		        sum(d.enterprises)::int AS enterprises, sum(d.enterprises_resumed)::int AS "enterprisesResumed",
		        (SELECT count(*)::int FROM daily_report r WHERE r.report_date = d.day) AS "communitiesReported"
		 FROM grid_day d
		 WHERE d.day BETWEEN $1::date - ($2::int - 1) AND $1::date
		 GROUP BY d.day ORDER BY d.day`,
		[day, days]
	);
	return rows.map((row) => withZeros(row));
}

/** The newest report or screening behind a day's figures, on Beijing's clock ('…T08:30:00+08:00'), or null. */
export async function dataAsOf(
	db: Queryable,
	subdistrictId: number,
	day: string
): Promise<string | null> {
	const [row] = await db.query<{ asOf: string | null }>(
		`SELECT to_char(data_as_of($1, $2::date) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "asOf"`,
		[subdistrictId, day]
	);
	return row?.asOf ?? null;
}
