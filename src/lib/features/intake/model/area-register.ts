import type { MultiPolygon, Polygon, Position } from 'geojson';
import { mapColumns, records, type FieldSpec, type SheetRow } from './table';
import type { RowProblem } from './problem';

/**
 * Boundaries (网格/社区边界): one feature per area, with its code, name and — for a grid — the
 * community it belongs to, read from the feature's attributes by their usual names (a shapefile's
 * DBF columns are at most 10 bytes: WGBM, WGMC, SSSQ are common). The "row" of a feature is its
 * number in the file, from 1, as a GIS program's attribute table counts them.
 */
export type AreaKind = 'grids' | 'communities';
export type AreaField = 'code' | 'areaName' | 'community';

export const AREA_FIELDS: Record<AreaKind, FieldSpec<AreaField>[]> = {
	grids: [
		{
			field: 'code',
			headers: [
				'网格编码',
				'网格编号',
				'网格代码',
				'网格号',
				'WGBM',
				'WGBH',
				'grid_code',
				'code',
				'编码',
				'编号',
				'代码'
			],
			required: true
		},
		{ field: 'areaName', headers: ['网格名称', '网格名', 'WGMC', 'grid_name', 'name', '名称'] },
		{
			field: 'community',
			headers: ['所属社区', '社区', '社区名称', '社区编码', 'SSSQ', 'SQMC', 'SQBM', 'community']
		}
	],
	communities: [
		{
			field: 'code',
			headers: [
				'社区编码',
				'社区代码',
				'社区编号',
				'SQBM',
				'community_code',
				'code',
				'编码',
				'编号',
				'代码'
			],
			required: true
		},
		{ field: 'areaName', headers: ['社区名称', '社区', 'SQMC', 'community_name', 'name', '名称'] }
	]
};

/** A feature as the file gave it: its attributes as texts and its geometry, in WGS84 once converted. */
export interface AreaFeature {
	row: number;
	properties: Record<string, string>;
	geometry: { type: string; coordinates?: unknown } | null;
}

/** An area checked in itself; the database checks the rest (validity, placement, topology). */
export interface AreaRow {
	row: number;
	code: string;
	name: string;
	/** A grid's community, by code or name, as the file says it; null: the one it mostly lies in. */
	community: string | null;
	/** GeoJSON (Polygon or MultiPolygon), WGS84. */
	geometry: string;
	/** The mean of the first ring's points as the file gave them, in degrees (for the datum hint). */
	raw: [number, number];
}

const CODE = /^[\p{L}\p{N}_.-]{1,40}$/u;

/** Polygons' rings, or null when the geometry is not a (multi)polygon of number pairs. */
function polygons(geometry: AreaFeature['geometry']): Position[][][] | null {
	if (!geometry) return null;
	const c = geometry.coordinates;
	const list =
		geometry.type === 'Polygon'
			? [c]
			: geometry.type === 'MultiPolygon' && Array.isArray(c)
				? c
				: null;
	if (!list) return null;
	const ok = list.every(
		(p) =>
			Array.isArray(p) &&
			p.length > 0 &&
			p.every(
				(ring) =>
					Array.isArray(ring) &&
					ring.length >= 3 &&
					ring.every(
						(pt) =>
							Array.isArray(pt) &&
							pt.length >= 2 &&
							Number.isFinite(pt[0]) &&
							Number.isFinite(pt[1])
					)
			)
	);
	return ok && list.length ? (list as Position[][][]) : null;
}

/**
 * Reads each feature's fields and geometry: a code (unique in the file), a name (the code when
 * none), a grid's community; a polygon or multipolygon in degrees (a file whose numbers are not is
 * probably projected without its .prj) that `convert` takes to WGS84 ([lng, lat]). Each problem
 * names the feature and the attribute.
 */
export function checkAreaFeatures(
	kind: AreaKind,
	features: AreaFeature[],
	convert: (x: number, y: number) => [number, number]
):
	| {
			rows: AreaRow[];
			problems: RowProblem[];
			columns: Partial<Record<AreaField, string>>;
			ignored: string[];
	  }
	| { missing: AreaField[] } {
	const headers = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
	const sheet: SheetRow[] = [
		{ row: 0, cells: headers },
		...features.map((f) => ({ row: f.row, cells: headers.map((h) => f.properties[h] ?? '') }))
	];
	const mapped = mapColumns([sheet[0]], AREA_FIELDS[kind]);
	if ('missing' in mapped) return mapped;
	const { map } = mapped;
	const columns: Partial<Record<AreaField, string>> = Object.fromEntries(
		(Object.entries(map.columns) as [AreaField, number][]).map(([f, i]) => [f, headers[i]])
	);
	const values = new Map(records(sheet, map).map((r) => [r.row, r.values]));
	const rows: AreaRow[] = [];
	const problems: RowProblem[] = [];
	const seen = new Map<string, number>();
	const geometryColumn = 'geometry';
	for (const feature of features) {
		const v = values.get(feature.row) ?? {};
		const code = (v.code ?? '').normalize('NFKC').replace(/\s+/g, '');
		const problem = (
			column: string,
			value: string,
			reason: RowProblem['reason'],
			detail?: string
		) => problems.push({ row: feature.row, column, value, reason, ...(detail ? { detail } : {}) });
		if (!code) {
			problem(columns.code!, '', 'required');
			continue;
		}
		if (!CODE.test(code)) {
			problem(columns.code!, code.slice(0, 60), 'area_code_invalid');
			continue;
		}
		const before = seen.get(code);
		if (before !== undefined) {
			problem(columns.code!, code, 'area_duplicate_in_file', String(before));
			continue;
		}
		seen.set(code, feature.row);
		const name = (v.areaName ?? '').replace(/\s+/g, ' ').trim() || code;
		if (name.length > 60) {
			problem(columns.areaName!, name.slice(0, 60), 'out_of_range', '1–60');
			continue;
		}
		const list = polygons(feature.geometry);
		if (!list) {
			problem(geometryColumn, feature.geometry?.type ?? '', 'area_not_polygon');
			continue;
		}
		const ring = list[0][0];
		const raw: [number, number] = [
			ring.reduce((sum, pt) => sum + pt[0], 0) / ring.length,
			ring.reduce((sum, pt) => sum + pt[1], 0) / ring.length
		];
		if (
			list.some((p) => p.some((r) => r.some((pt) => Math.abs(pt[0]) > 180 || Math.abs(pt[1]) > 90)))
		) {
			problem(geometryColumn, `${raw[0]}, ${raw[1]}`, 'area_not_degrees');
			continue;
		}
		// Rings closed where the file left them open (the first point again), as GIS programs read them.
		const converted = list.map((p) =>
			p.map((r) => {
				const ring = r.map((pt) => convert(pt[0], pt[1]));
				const [a, z] = [ring[0], ring[ring.length - 1]];
				return a[0] === z[0] && a[1] === z[1] ? ring : [...ring, a];
			})
		);
		// A ring needs three corners and its closing point.
		if (converted.some((p) => p.some((r) => r.length < 4))) {
			problem(geometryColumn, feature.geometry?.type ?? '', 'area_not_polygon');
			continue;
		}
		const geometry: Polygon | MultiPolygon =
			converted.length === 1
				? { type: 'Polygon', coordinates: converted[0] }
				: { type: 'MultiPolygon', coordinates: converted };
		rows.push({
			row: feature.row,
			code,
			name,
			community: kind === 'grids' && v.community ? v.community.replace(/\s+/g, '') : null,
			geometry: JSON.stringify(geometry),
			raw
		});
	}
	return { rows, problems, columns, ignored: map.ignored };
}
