import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Queryable } from '../../../server/db/types';
import type { AccessScope } from '../../../server/db/scope';
import { writeAudit } from '../../../server/audit';
import { refreshAfterWrite } from '../../../server/rollup';
import { currentLang, say } from '../../../server/say';
import { words, type Lang } from '../../../core/i18n';
import { ADDRESS_FIELDS, checkAddressRows, type AddressRow } from '../model/address-register';
import { columnName, type RowProblem, type RowReason } from '../model/problem';
import { checkReturneeRows, RETURNEE_FIELDS, type ReturneeRow } from '../model/returnee-register';
import { ID_PROBLEM_WORDS } from '../../capture/words';
import type { IdNumberProblem } from '../../capture/model/id-number';
import { hashIdNumber, hashNameForms, hashPhone } from '../../../server/secret';
import { beijingDay } from '../../../core/time';
import { syncGaps } from '../../gaps/server/gaps.server';
import type { GapSettings } from '../../gaps/model/gaps';
import {
	personGrids,
	planReturnees,
	undoReturnees,
	writeReturnees,
	type ReturneePlan
} from './returnees.server';
import { DATUMS, toWgs84, type Datum } from '../model/datum';
import { mapColumns, records, type FieldSpec, type SheetSource } from '../model/table';
import { readSheet, SheetError } from './sheet.server';
import { noSteps, type Step } from './progress.server';
import { checkAreaFeatures, type AreaKind, type AreaRow } from '../model/area-register';
import { AreaFileError, readAreaFile, type AreaFile } from './area-file.server';
import {
	levelOf,
	planAreas,
	reassignRecords,
	undoAreas,
	writeAreas,
	areaDatumHint,
	areaPreview,
	datumSuspect,
	type AreaPlan
} from './areas.server';
import type {
	ImportBatchView,
	ImportCounts,
	ImportList,
	ImportPreview,
	RowProblemView
} from '../contract';

/** What POST /api/imports reads beside the file (multipart fields). */
export const ImportOptions = v.object({
	kind: v.picklist(['address_register', 'returnees', 'grids', 'communities'], () =>
		say().intake_bad_kind()
	),
	datum: v.optional(
		v.picklist(DATUMS, () => say().intake_bad_datum()),
		'wgs84'
	),
	sheet: v.optional(
		v.pipe(
			v.string(() => say().intake_bad_sheet()),
			v.trim(),
			v.maxLength(100, () => say().intake_bad_sheet())
		)
	)
});
export type ImportOptions = v.InferOutput<typeof ImportOptions>;

/** What a commit or rollback needs beside the batch: the data period and clock (rollup), the gap rules' settings. */
export interface WriteContext {
	period: { first: string; last: string } | null;
	clock: number;
	settings: GapSettings;
}

export interface Actor {
	id: number;
	username: string;
	address: string;
}

/** The largest file an import reads (a subdistrict's register of 160,000 households is ≈ 8 MB). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
const LISTED_PROBLEMS = 500;
/** The refusals a batch keeps for its report (a file of junk can refuse every row several times over). */
const KEPT_PROBLEMS = 20_000;

const REASONS = {
	required: 'intake_reason_required',
	not_a_whole_number: 'intake_reason_not_a_whole_number',
	out_of_range: 'intake_reason_out_of_range',
	address_unreadable: 'intake_reason_address_unreadable',
	coordinate_pair: 'intake_reason_coordinate_pair',
	duplicate_in_file: 'intake_reason_duplicate_in_file',
	compound_unknown: 'intake_reason_compound_unknown',
	community_differs: 'intake_reason_community_differs',
	building_needs_coordinates: 'intake_reason_building_needs_coordinates',
	outside_jurisdiction: 'intake_reason_outside_jurisdiction',
	outside_compound: 'intake_reason_outside_compound',
	building_misplaced: 'intake_reason_building_misplaced',
	compound_ambiguous: 'intake_reason_compound_ambiguous',
	unit_needed: 'intake_reason_unit_needed',
	room_unreadable: 'intake_reason_room_unreadable',
	name_invalid: 'intake_reason_name_invalid',
	id_invalid: 'intake_reason_id_invalid',
	phone_invalid: 'intake_reason_phone_invalid',
	date_invalid: 'intake_reason_date_invalid',
	date_future: 'intake_reason_date_future',
	date_before_period: 'intake_reason_date_before_period',
	household_unknown: 'intake_reason_household_unknown',
	address_unknown: 'intake_reason_address_unknown',
	address_ambiguous: 'intake_reason_address_ambiguous',
	id_duplicate_in_file: 'intake_reason_id_duplicate_in_file',
	id_stored_as_number: 'intake_reason_id_stored_as_number',
	area_code_invalid: 'intake_reason_area_code_invalid',
	area_duplicate_in_file: 'intake_reason_area_duplicate_in_file',
	area_not_polygon: 'intake_reason_area_not_polygon',
	area_not_degrees: 'intake_reason_area_not_degrees',
	area_empty: 'intake_reason_area_empty',
	area_outside_jurisdiction: 'intake_reason_area_outside_jurisdiction',
	community_unknown: 'intake_reason_community_unknown'
} as const;

/** A refused row in the reader's words. */
export function problemWords(p: RowProblem, lang: Lang): RowProblemView {
	const w = words(lang);
	// Only some reasons say a detail (the range, the row repeated); the others ignore it. An ID
	// number's says which rule it breaks, in the form's words.
	const reason = w[REASONS[p.reason]] as (inputs: { detail: string }) => string;
	const detail =
		p.reason === 'id_invalid' && p.detail && p.detail in ID_PROBLEM_WORDS
			? (w[ID_PROBLEM_WORDS[p.detail as IdNumberProblem]] as () => string)()
			: (p.detail ?? '');
	return { row: p.row, column: p.column, value: p.value, reason: reason({ detail }) };
}

interface Compound {
	id: number;
	code: string;
	name: string;
	community: string;
}
interface Building {
	id: number;
	compoundId: number;
	number: number;
	code: string;
}
interface Household {
	id: number;
	buildingId: number;
	unit: number | null;
	room: string;
	members: number;
}

/** A new building the rows name, placed by the first of its rows that has coordinates. */
interface NewBuilding {
	key: string;
	compoundId: number;
	compoundCode: string;
	number: number;
	floors: number;
	lng: number;
	lat: number;
	/** The coordinates as the file gave them (for the datum hint). */
	raw: [number, number];
	firstRow: number;
}

interface Plan {
	newBuildings: NewBuilding[];
	/** New buildings refused for standing outside their compound: their coordinates as the file gave them. */
	misplaced: { raw: [number, number]; compoundId: number }[];
	inserts: { row: AddressRow; building: string }[];
	updates: { row: AddressRow; householdId: number; before: number }[];
	unchanged: number;
	problems: RowProblem[];
}

const roomKey = (room: string) => room.replace(/^0+(?=.)/, '');
const floorOf = (room: string) => (/^\d{3,5}$/.test(room) ? Math.floor(Number(room) / 100) : 1);

/**
 * Matches checked rows against the subdistrict's compounds, buildings and households: which rows add
 * a household (and a building), which change its members, which change nothing, which cannot be
 * placed. Reads as the caller (a whole-subdistrict scope sees every household).
 */
async function plan(
	tx: Queryable,
	subdistrictId: number,
	rows: AddressRow[],
	columns: Columns
): Promise<Plan> {
	const compounds = await tx.query<Compound>(
		`SELECT cp.id, cp.code, cp.name, c.name AS community
		 FROM compound cp JOIN community c ON c.id = cp.community_id WHERE cp.subdistrict_id = $1`,
		[subdistrictId]
	);
	const byName = new Map<string, Compound[]>();
	for (const c of compounds) {
		const name = c.name.replace(/\s+/g, '');
		byName.set(name, [...(byName.get(name) ?? []), c]);
	}
	const buildings = await tx.query<Building>(
		`SELECT id, compound_id AS "compoundId", number, code FROM building
		 WHERE subdistrict_id = $1 AND compound_id IS NOT NULL AND number IS NOT NULL`,
		[subdistrictId]
	);
	const buildingAt = new Map(buildings.map((b) => [`${b.compoundId}|${b.number}`, b]));
	// Only the households of the buildings the file names (a whole register reads them all).
	const named = [
		...new Set(
			rows.flatMap((r) => {
				const ids = (byName.get(r.compound) ?? []).map(
					(c) => buildingAt.get(`${c.id}|${r.building}`)?.id
				);
				return ids.filter((id): id is number => id !== undefined);
			})
		)
	];
	const households = await tx.query<Household>(
		`SELECT id, building_id AS "buildingId", unit, room, members FROM household
		 WHERE building_id = ANY ($1::int[]) AND room IS NOT NULL`,
		[named]
	);
	const householdAt = new Map(
		households.map((h) => [`${h.buildingId}|${h.unit ?? ''}|${roomKey(h.room)}`, h])
	);
	// A register without units names a room by building and number: the one household of that room.
	const byRoom = new Map<string, Household[]>();
	for (const h of households) {
		const key = `${h.buildingId}|${roomKey(h.room)}`;
		byRoom.set(key, [...(byRoom.get(key) ?? []), h]);
	}
	const col = (field: string) => columns[field] ?? field;
	const result: Plan = {
		newBuildings: [],
		misplaced: [],
		inserts: [],
		updates: [],
		unchanged: 0,
		problems: []
	};
	const fresh = new Map<string, NewBuilding>();
	const waiting: { row: AddressRow; key: string }[] = [];
	for (const row of rows) {
		const candidates = byName.get(row.compound) ?? [];
		const compound =
			candidates.length > 1
				? candidates.find((c) => c.community.replace(/\s+/g, '') === row.community)
				: candidates[0];
		if (!compound && candidates.length > 1) {
			// The same name in two communities: the row must say which (所属社区).
			result.problems.push({
				row: row.row,
				column: col(row.community ? 'community' : 'compound'),
				value: row.community ?? row.compound,
				reason: 'compound_ambiguous',
				detail: candidates.map((c) => c.community).join('、')
			});
			continue;
		}
		if (!compound) {
			result.problems.push({
				row: row.row,
				column: col('compound'),
				value: row.compound,
				reason: 'compound_unknown'
			});
			continue;
		}
		if (row.community && compound.community.replace(/\s+/g, '') !== row.community) {
			result.problems.push({
				row: row.row,
				column: col('community'),
				value: row.community,
				reason: 'community_differs',
				detail: compound.community
			});
			continue;
		}
		const key = `${compound.id}|${row.building}`;
		const building = buildingAt.get(key);
		if (building) {
			const sameRoom = byRoom.get(`${building.id}|${roomKey(row.room)}`) ?? [];
			if (row.unit === null && sameRoom.length > 1) {
				result.problems.push({
					row: row.row,
					column: col('room'),
					value: row.room,
					reason: 'unit_needed'
				});
				continue;
			}
			const household =
				row.unit === null
					? sameRoom[0]
					: householdAt.get(`${building.id}|${row.unit}|${roomKey(row.room)}`);
			if (!household) result.inserts.push({ row, building: `id:${building.id}` });
			else if (household.members === row.members) result.unchanged++;
			else result.updates.push({ row, householdId: household.id, before: household.members });
			continue;
		}
		let planned = fresh.get(key);
		if (!planned && row.lng !== null && row.lat !== null && row.raw) {
			planned = {
				key,
				compoundId: compound.id,
				compoundCode: compound.code,
				number: row.building,
				floors: 1,
				lng: row.lng,
				lat: row.lat,
				raw: row.raw,
				firstRow: row.row
			};
			fresh.set(key, planned);
		}
		waiting.push({ row, key });
	}
	for (const { row, key } of waiting) {
		const planned = fresh.get(key);
		if (!planned) {
			result.problems.push({
				row: row.row,
				column: col('building'),
				value: String(row.building),
				reason: 'building_needs_coordinates'
			});
			continue;
		}
		planned.floors = Math.max(planned.floors, row.floors ?? floorOf(row.room));
		result.inserts.push({ row, building: `new:${key}` });
	}
	result.newBuildings = [...fresh.values()];
	// New buildings must stand in their compound (within 30 m of its outline: a point taken from a
	// web map in another datum lands 300–700 m off); their households go with them.
	if (result.newBuildings.length) {
		const placed = await placeBuildings(
			tx,
			subdistrictId,
			result.newBuildings.map((b) => [b.lng, b.lat]),
			result.newBuildings.map((b) => b.compoundId)
		);
		const misplaced = new Map<string, RowReason>();
		placed.forEach((p, i) => {
			if (!p.inCompound)
				misplaced.set(
					result.newBuildings[i].key,
					p.inside ? 'outside_compound' : 'outside_jurisdiction'
				);
		});
		if (misplaced.size) {
			const names = new Map(compounds.map((c) => [c.id, c.name]));
			for (const b of result.newBuildings.filter((n) => misplaced.has(n.key)))
				result.problems.push({
					row: b.firstRow,
					column: col('lng'),
					value: `${b.raw[0]}, ${b.raw[1]}`,
					reason: misplaced.get(b.key)!,
					detail: names.get(b.compoundId)
				});
			for (const d of result.inserts) {
				const key = d.building.slice(4);
				if (misplaced.has(key) && d.row.row !== fresh.get(key)?.firstRow)
					result.problems.push({
						row: d.row.row,
						column: col('building'),
						value: String(d.row.building),
						reason: 'building_misplaced',
						detail: String(fresh.get(key)?.firstRow)
					});
			}
			result.inserts = result.inserts.filter((i) => !misplaced.has(i.building.slice(4)));
			result.misplaced = result.newBuildings
				.filter((b) => misplaced.has(b.key))
				.map((b) => ({ raw: b.raw, compoundId: b.compoundId }));
			result.newBuildings = result.newBuildings.filter((b) => !misplaced.has(b.key));
		}
	}
	result.problems.sort((a, b) => a.row - b.row);
	return result;
}

/** Whether each point stands in the jurisdiction, and within 30 m of its compound's outline. */
async function placeBuildings(
	tx: Queryable,
	subdistrictId: number,
	points: [number, number][],
	compoundIds: number[]
): Promise<{ inside: boolean; inCompound: boolean }[]> {
	return tx.query<{ inside: boolean; inCompound: boolean }>(
		`SELECT ST_Covers(s.geom, q.pt) AS inside,
		        ST_DWithin(cp.geom::geography, q.pt::geography, 30) AS "inCompound"
		 FROM unnest($2::float8[], $3::float8[], $4::int[]) WITH ORDINALITY AS p(x, y, compound_id, i)
		 CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(p.x, p.y), 4326) AS pt) q
		 JOIN subdistrict s ON s.id = $1
		 JOIN compound cp ON cp.id = p.compound_id
		 ORDER BY p.i`,
		[subdistrictId, points.map((p) => p[0]), points.map((p) => p[1]), compoundIds]
	);
}

/**
 * The datum in which most of the misplaced buildings would stand in their compounds, if not the one
 * declared: what the file's coordinates probably are.
 */
async function datumHint(
	tx: Queryable,
	subdistrictId: number,
	declared: Datum,
	misplaced: { raw: [number, number]; compoundId: number }[]
): Promise<Datum | null> {
	if (!misplaced.length) return null;
	for (const datum of DATUMS.filter((d) => d !== declared)) {
		const placed = await placeBuildings(
			tx,
			subdistrictId,
			misplaced.map(({ raw }) => toWgs84(datum, raw[0], raw[1])),
			misplaced.map((m) => m.compoundId)
		);
		if (placed.filter((p) => p.inCompound).length > misplaced.length / 2) return datum;
	}
	return null;
}

const BATCH_COLUMNS = `b.id, b.kind, b.file_name AS "fileName", b.file_hash AS "fileHash", b.status, b.counts,
	to_char(b.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "createdAt",
	u.username AS "createdBy",
	to_char(b.committed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "committedAt",
	to_char(b.rolled_back_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "rolledBackAt"`;

async function batchView(tx: Queryable, id: number): Promise<ImportBatchView | null> {
	const [batch] = await tx.query<ImportBatchView>(
		`SELECT ${BATCH_COLUMNS} FROM import_batch b JOIN app_user u ON u.id = b.created_by WHERE b.id = $1`,
		[id]
	);
	return batch ?? null;
}

/** The subdistrict's batches, newest first (GET /api/imports). */
export async function listImports(tx: Queryable): Promise<ImportList> {
	const batches = await tx.query<ImportBatchView>(
		`SELECT ${BATCH_COLUMNS} FROM import_batch b JOIN app_user u ON u.id = b.created_by
		 ORDER BY b.created_at DESC, b.id DESC LIMIT 200`
	);
	return { batches };
}

/** Each field read and the column it came from, as the error report names it: `D（单元）`. */
type Columns = Partial<Record<string, string>>;

/** A register read and checked by itself, before any database work (no transaction held meanwhile). */
export interface ReadRegister {
	name: string;
	hash: string;
	source: SheetSource;
	rows: AddressRow[] | ReturneeRow[] | AreaRow[];
	problems: RowProblem[];
	columns: Columns;
	ignored: string[];
	read: number;
	/** A boundary file: how it was read. */
	area?: Pick<AreaFile, 'format' | 'encoding' | 'projection'>;
}

/** What reading a register needs beside the file: the clock and data period (dates), the ID-number key. */
export interface ReadContext {
	clock: number;
	period: { first: string; last: string } | null;
	secret: Buffer;
}

const fieldWords = (fields: string[]) => {
	const w = say() as unknown as Record<string, () => string>;
	// Fields are camelCase (idNumber), catalog keys snake_case (intake_field_id_number).
	return fields
		.map((f) => w[`intake_field_${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`]())
		.join('、');
};

const isAreaKind = (kind: string): kind is AreaKind => kind === 'grids' || kind === 'communities';

const fileName = (name: string) =>
	// eslint-disable-next-line no-control-regex
	name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'upload';

/** Reads a boundary file and checks each feature by itself; a file that cannot be read is a 400 in words. */
async function readAreas(
	file: { name: string; bytes: Uint8Array },
	kind: AreaKind,
	options: ImportOptions,
	step: Step
): Promise<ReadRegister> {
	const w = say();
	let read: AreaFile;
	try {
		read = await readAreaFile(file.bytes);
	} catch (cause) {
		// Anything else a file makes a reader throw (a stack overflow on nesting, a library's own error) is the file's.
		if (!(cause instanceof AreaFileError))
			error(400, {
				message: w.intake_area_unreadable({
					detail: String((cause as Error)?.message ?? cause).slice(0, 120)
				}),
				field: 'file',
				code: 'bad_file'
			});
		const detail = cause.detail;
		const message = {
			not_area_file: () => w.intake_area_not_area_file(),
			zip_unreadable: () => w.intake_area_zip_unreadable({ detail }),
			shp_missing: () => w.intake_area_shp_missing(),
			shapefile_unreadable: () => w.intake_area_shapefile_unreadable({ detail }),
			geojson_unreadable: () => w.intake_area_geojson_unreadable({ detail }),
			kml_unreadable: () => w.intake_area_kml_unreadable({ detail }),
			crs_unknown: () => w.intake_area_crs_unknown({ detail }),
			too_many_features: () => w.intake_area_too_many_features({ limit: detail }),
			no_features: () => w.intake_area_no_features()
		}[cause.problem]();
		error(400, { message, field: 'file', code: 'bad_file' });
	}
	await step('read', read.features.length);
	// Degrees in the declared datum; a projected file is CGCS2000 once unprojected.
	const checked = checkAreaFeatures(kind, read.features, (x, y) =>
		read.projection ? [x, y] : toWgs84(options.datum, x, y)
	);
	if ('missing' in checked)
		error(400, {
			message: w.intake_area_attribute_missing({
				fields: fieldWords(checked.missing),
				found:
					[...new Set(read.features.flatMap((f) => Object.keys(f.properties)))]
						.slice(0, 12)
						.join('、') || '—'
			}),
			field: 'file',
			code: 'bad_file'
		});
	await step('validated');
	return {
		name: fileName(file.name),
		hash: createHash('sha256').update(file.bytes).digest('hex'),
		source: { format: read.format },
		rows: checked.rows,
		problems: checked.problems,
		columns: checked.columns,
		ignored: checked.ignored,
		read: read.features.length,
		area: { format: read.format, encoding: read.encoding, projection: read.projection }
	};
}

/** Reads a file as a register and checks each row by itself; a file that cannot be read is a 400 in words. */
export async function readRegister(
	file: { name: string; bytes: Uint8Array },
	options: ImportOptions,
	context: ReadContext,
	step: Step = noSteps
): Promise<ReadRegister> {
	if (isAreaKind(options.kind)) return readAreas(file, options.kind, options, step);
	const w = say();
	let sheet;
	try {
		sheet = await readSheet(file.bytes, options.sheet || undefined);
	} catch (cause) {
		if (!(cause instanceof SheetError)) throw cause;
		const message =
			cause.problem === 'no_sheet'
				? w.intake_no_sheet({ sheet: cause.detail })
				: cause.problem === 'unclosed_quote'
					? w.intake_csv_unclosed_quote({ line: cause.detail })
					: cause.problem === 'text_after_quote'
						? w.intake_csv_text_after_quote({ line: cause.detail })
						: w.intake_not_xlsx();
		error(400, {
			message,
			field: cause.problem === 'no_sheet' ? 'sheet' : 'file',
			code: 'bad_file'
		});
	}
	const sheetRows = sheet.rows;
	await step('read', sheetRows.length);
	/** The header found and the rows under it, or a 400 saying which columns are missing. */
	function table<F extends string>(specs: FieldSpec<F>[], addressBy: F[][]) {
		const mapped = mapColumns(sheetRows, specs);
		if ('missing' in mapped)
			error(400, {
				message: w.intake_header_missing({ fields: fieldWords(mapped.missing) }),
				field: 'file',
				code: 'bad_file'
			});
		const { map } = mapped;
		if (!addressBy.some((fields) => fields.every((f) => map.columns[f] !== undefined)))
			error(400, {
				message:
					options.kind === 'returnees'
						? w.intake_header_no_address_returnees()
						: w.intake_header_no_address(),
				field: 'file',
				code: 'bad_file'
			});
		const read = records(sheetRows, map);
		if (!read.length) error(400, { message: w.intake_no_rows(), field: 'file', code: 'bad_file' });
		const columns: Columns = Object.fromEntries(
			(Object.keys(map.columns) as F[]).map((f) => [f, columnName(map, f)])
		);
		return { map, read, columns };
	}
	const address = ['address'] as const;
	const parts = ['compound', 'building', 'room'] as const;
	let checked: { rows: AddressRow[] | ReturneeRow[]; problems: RowProblem[] };
	let found: { read: unknown[]; columns: Columns; map: { ignored: string[] } };
	if (options.kind === 'returnees') {
		const t = table(RETURNEE_FIELDS, [[...address], [...parts], ['householdCode']]);
		checked = checkReturneeRows(t.read, t.map, {
			today: beijingDay(context.clock),
			clock: context.clock,
			first: context.period?.first ?? null,
			hash: (id) => hashIdNumber(context.secret, id),
			hashName: (name) => hashNameForms(context.secret, name),
			hashPhone: (digits) => hashPhone(context.secret, digits)
		});
		found = t;
	} else {
		const t = table(ADDRESS_FIELDS, [[...address], [...parts]]);
		checked = checkAddressRows(t.read, t.map, (x, y) => toWgs84(options.datum, x, y));
		found = t;
	}
	const { columns, read, map } = found;
	await step('validated');
	// A file with one address column: what is said of its compound, building or room is said of it.
	if (columns.address)
		for (const f of ['compound', 'building', 'room'] as const) columns[f] ??= columns.address;
	return {
		name: fileName(file.name),
		hash: createHash('sha256').update(file.bytes).digest('hex'),
		source: sheet.source,
		rows: checked.rows,
		problems: checked.problems,
		columns,
		ignored: map.ignored,
		read: read.length
	};
}

/** Reads and checks a file, plans what a commit would write, and keeps the plan as a dry-run batch. */
export async function dryRun(
	tx: Queryable,
	scope: AccessScope,
	file: { name: string; bytes: Uint8Array },
	options: ImportOptions,
	actor: Actor,
	lang: Lang,
	context: ReadContext
): Promise<ImportPreview> {
	return dryRunRead(tx, scope, await readRegister(file, options, context), options, actor, lang);
}

/** What a commit of a batch's rows would write, by kind. */
type Planned =
	| { kind: 'address_register'; plan: Plan }
	| { kind: 'returnees'; plan: ReturneePlan }
	| { kind: 'areas'; plan: AreaPlan };

/** Plans a batch's rows against the data as it is now. */
async function planBatch(
	tx: Queryable,
	subdistrictId: number,
	kind: string,
	rows: AddressRow[] | ReturneeRow[] | AreaRow[],
	columns: Columns
): Promise<Planned> {
	if (isAreaKind(kind))
		return {
			kind: 'areas',
			plan: await planAreas(tx, subdistrictId, kind, rows as AreaRow[], columns)
		};
	return kind === 'returnees'
		? {
				kind,
				plan: await planReturnees(tx, subdistrictId, rows as ReturneeRow[], columns)
			}
		: {
				kind: 'address_register',
				plan: await plan(tx, subdistrictId, rows as AddressRow[], columns)
			};
}

const countsOf = (planned: Planned, rejected: number): ImportCounts => ({
	new: planned.plan.inserts.length,
	updated: planned.plan.updates.length,
	unchanged: planned.plan.unchanged,
	rejected,
	newBuildings: planned.kind === 'address_register' ? planned.plan.newBuildings.length : 0
});

/** The database half of a dry run, for a register already read (`readRegister`). */
export async function dryRunRead(
	tx: Queryable,
	scope: AccessScope,
	register: ReadRegister,
	options: ImportOptions,
	actor: Actor,
	lang: Lang,
	step: Step = noSteps
): Promise<ImportPreview> {
	const { rows, columns } = register;
	const planned = await planBatch(tx, scope.subdistrictId, options.kind, rows, columns);
	const problems = [...register.problems, ...planned.plan.problems].sort((a, b) => a.row - b.row);
	// The commit plans again from the rows the dry run accepted, against the data as it is then.
	const refused = new Set(planned.plan.problems.map((p) => p.row));
	const accepted = (rows as { row: number }[]).filter((r) => !refused.has(r.row));
	const counts = countsOf(planned, new Set(problems.map((p) => p.row)).size);
	// Most new buildings misplaced: the file's datum is probably not the one declared.
	const misplaced = planned.kind === 'address_register' ? planned.plan.misplaced : [];
	const hint =
		planned.kind === 'address_register' && misplaced.length > planned.plan.newBuildings.length
			? await datumHint(tx, scope.subdistrictId, options.datum, misplaced)
			: null;
	const areas =
		planned.kind === 'areas' && register.area
			? await areaPreview(tx, scope.subdistrictId, planned.plan, register.area)
			: null;
	const areaHint =
		planned.kind === 'areas' && datumSuspect(planned.plan)
			? await areaDatumHint(
					tx,
					scope.subdistrictId,
					planned.plan.level,
					options.datum,
					rows as AreaRow[]
				)
			: null;
	await step('placed');
	const hash = register.hash;
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO import_batch (subdistrict_id, kind, file_name, file_hash, file_format, options, status, counts, rows, errors, created_by)
		 VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, 'dry_run', $7::text::jsonb, $8::text::jsonb, $9::text::jsonb, $10)
		 RETURNING id`,
		[
			scope.subdistrictId,
			options.kind,
			register.name,
			hash,
			register.source.format,
			JSON.stringify({ ...options, columns, source: register.source, problems: problems.length }),
			JSON.stringify(counts),
			JSON.stringify(accepted),
			JSON.stringify(problems.slice(0, KEPT_PROBLEMS)),
			actor.id
		]
	);
	const [same] = await tx.query<{ id: number; committedAt: string }>(
		`SELECT id, to_char(committed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "committedAt"
		 FROM import_batch WHERE file_hash = $1 AND kind = $2 AND status = 'committed' ORDER BY committed_at DESC LIMIT 1`,
		[hash, options.kind]
	);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'import.dry_run',
		targetKind: 'import',
		targetId: String(id),
		detail: { kind: options.kind, file: register.name, rows: register.read, ...counts },
		address: actor.address
	});
	await step('written');
	return {
		batch: (await batchView(tx, id))!,
		source: register.source,
		datum: options.datum,
		columns: Object.entries(columns).map(([field, column]) => ({ field, column: column! })),
		ignored: register.ignored,
		problems: problems.slice(0, LISTED_PROBLEMS).map((p) => problemWords(p, lang)),
		moreProblems: Math.max(0, problems.length - LISTED_PROBLEMS),
		sameFile: same ?? null,
		datumHint: hint ?? areaHint,
		areas
	};
}

/** A batch of the caller's subdistrict, locked for the change; 404 in words when there is none. */
async function lockedBatch(tx: Queryable, id: number) {
	await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['import']);
	const [batch] = await tx.query<{
		id: number;
		status: string;
		rows: AddressRow[] | ReturneeRow[] | AreaRow[] | null;
		options: { columns: Columns };
		kind: string;
		fileName: string;
	}>(
		`SELECT id, status, rows, options, kind, file_name AS "fileName" FROM import_batch WHERE id = $1 FOR UPDATE`,
		[id]
	);
	if (!batch)
		error(404, { message: say().intake_batch_not_found({ id: String(id) }), code: 'not_found' });
	return batch;
}

/** Writes an address plan: new buildings, new households, changed members. Returns each row written, with what it was. */
async function writeAddresses(
	tx: Queryable,
	subdistrictId: number,
	id: number,
	plan: Plan
): Promise<{ table: string; rowId: number; before: unknown }[]> {
	const changes: { table: string; rowId: number; before: unknown }[] = [];
	const buildingIds = new Map<string, number>();
	if (plan.newBuildings.length) {
		const codes = plan.newBuildings.map((b) => `${b.compoundCode}-${b.number}`);
		const inserted = await tx.query<{ id: number; code: string }>(
			`INSERT INTO building (subdistrict_id, compound_id, code, number, floors, geom)
			 SELECT $1, x.compound_id, x.code || CASE WHEN EXISTS (SELECT 1 FROM building o WHERE o.subdistrict_id = $1 AND o.code = x.code) THEN '-' || $7::text ELSE '' END,
			        x.number, x.floors, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM unnest($2::int[], $3::text[], $4::int[], $5::int[], $6::float8[], $8::float8[]) AS x(compound_id, code, number, floors, lng, lat)
			 RETURNING id, compound_id || '|' || number AS code`,
			[
				subdistrictId,
				plan.newBuildings.map((b) => b.compoundId),
				codes,
				plan.newBuildings.map((b) => b.number),
				plan.newBuildings.map((b) => b.floors),
				plan.newBuildings.map((b) => b.lng),
				`i${id}`,
				plan.newBuildings.map((b) => b.lat)
			]
		);
		for (const b of inserted) {
			buildingIds.set(b.code, b.id);
			changes.push({ table: 'building', rowId: b.id, before: null });
		}
	}
	if (plan.inserts.length) {
		const building = plan.inserts.map((i) =>
			i.building.startsWith('id:')
				? Number(i.building.slice(3))
				: buildingIds.get(i.building.slice(4))!
		);
		const inserted = await tx.query<{ id: number }>(
			`INSERT INTO household (subdistrict_id, building_id, code, unit, room, members, geom)
			 SELECT $1, b.id, b.code || '-U' || coalesce(x.unit, 0) || '-R' || x.room, x.unit, x.room, x.members, b.geom
			 FROM unnest($2::int[], $3::int[], $4::text[], $5::int[]) WITH ORDINALITY AS x(building_id, unit, room, members, i)
			 JOIN building b ON b.id = x.building_id
			 ORDER BY x.i
			 RETURNING id`,
			[
				subdistrictId,
				building,
				plan.inserts.map((i) => i.row.unit),
				plan.inserts.map((i) => i.row.room),
				plan.inserts.map((i) => i.row.members)
			]
		);
		for (const h of inserted) changes.push({ table: 'household', rowId: h.id, before: null });
	}
	if (plan.updates.length) {
		await tx.query(
			`UPDATE household h SET members = x.members
			 FROM unnest($1::int[], $2::int[]) AS x(id, members) WHERE h.id = x.id`,
			[plan.updates.map((u) => u.householdId), plan.updates.map((u) => u.row.members)]
		);
		for (const u of plan.updates)
			changes.push({ table: 'household', rowId: u.householdId, before: { members: u.before } });
	}
	return changes;
}

/**
 * Writes a dry run's plan, all or nothing: the plan is made again against the data as it is now,
 * and a row that no longer fits stops the commit (run the dry run again). Every row written or
 * changed is kept with what it was, for a rollback. Committing the same file twice changes nothing
 * the second time (households are matched by their address).
 */
export async function commitImport(
	tx: Queryable,
	scope: AccessScope,
	id: number,
	actor: Actor,
	context: WriteContext,
	step: Step = noSteps
): Promise<ImportBatchView> {
	const w = say();
	const batch = await lockedBatch(tx, id);
	if (batch.status !== 'dry_run' || !batch.rows)
		error(409, {
			message:
				batch.status === 'committed'
					? w.intake_already_committed({ id: String(id) })
					: w.intake_rolled_back_cannot_commit({ id: String(id) }),
			code: 'conflict'
		});
	const planned = await planBatch(
		tx,
		scope.subdistrictId,
		batch.kind,
		batch.rows,
		batch.options.columns
	);
	if (planned.plan.problems.length) {
		const first = planned.plan.problems[0];
		error(409, {
			message: w.intake_changed_since_dry_run({
				count: String(planned.plan.problems.length),
				row: String(first.row),
				reason: problemWords(first, currentLang()).reason
			}),
			code: 'conflict'
		});
	}
	await step('placed');
	const changes =
		planned.kind === 'returnees'
			? await writeReturnees(tx, scope.subdistrictId, planned.plan)
			: planned.kind === 'areas'
				? await writeAreas(tx, scope.subdistrictId, planned.plan)
				: await writeAddresses(tx, scope.subdistrictId, id, planned.plan);
	let seq = 0;
	if (changes.length)
		await tx.query(
			`INSERT INTO import_change (batch_id, seq, table_name, row_id, before)
			 SELECT $1, x.seq, x.table_name, x.row_id, x.before::jsonb
			 FROM unnest($2::int[], $3::text[], $4::int[], $5::text[]) AS x(seq, table_name, row_id, before)`,
			[
				id,
				changes.map(() => ++seq),
				changes.map((c) => c.table),
				changes.map((c) => c.rowId),
				changes.map((c) => (c.before === null ? null : JSON.stringify(c.before)))
			]
		);
	const [{ rejected }] = await tx.query<{ rejected: number }>(
		`SELECT coalesce((counts->>'rejected')::int, 0) AS rejected FROM import_batch WHERE id = $1`,
		[id]
	);
	const counts = countsOf(planned, rejected);
	await tx.query(
		`UPDATE import_batch SET status = 'committed', committed_at = now(), committed_by = $2,
		        commit_seq = nextval('import_commit_seq'), counts = $3::text::jsonb, rows = NULL WHERE id = $1`,
		[id, actor.id, JSON.stringify(counts)]
	);
	await step('written');
	if (planned.kind === 'returnees') {
		// The records the commit saw: a rollback is refused for what a changed person has since.
		await tx.query(
			`UPDATE import_batch SET options = options || jsonb_build_object('seen', jsonb_build_object(
			   'screening', (SELECT coalesce(max(id), 0) FROM screening),
			   'observation', (SELECT coalesce(max(id), 0) FROM observation),
			   'healthCheck', (SELECT coalesce(max(id), 0) FROM health_check))) WHERE id = $1`,
			[id]
		);
		const touched = await personGrids(tx, id);
		await refreshPersons(tx, scope.subdistrictId, context, touched);
	} else if (planned.kind === 'areas') {
		if (planned.plan.level === 'grid') {
			// Every record placed again in the new outlines; the grids written and those records left or joined rebuilt.
			const moved = await reassignRecords(tx, scope.subdistrictId);
			const written = changes.map((c) => c.rowId);
			await refreshPersons(tx, scope.subdistrictId, context, {
				gridIds: [...new Set([...moved, ...written])],
				from: null
			});
		}
	} else await refreshHouseholdGrids(tx, scope.subdistrictId, id, context);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'import.commit',
		targetKind: 'import',
		targetId: String(id),
		detail: { kind: batch.kind, file: batch.fileName, ...counts },
		address: actor.address
	});
	// The last moment a cancel is heard: past it, the transaction commits.
	await step('refreshed');
	return (await batchView(tx, id))!;
}

/** The rollup of the grids whose households a batch touched, over the whole data period. */
async function refreshHouseholdGrids(
	tx: Queryable,
	subdistrictId: number,
	batchId: number,
	context: { period: { first: string; last: string } | null; clock: number },
	gridIds?: number[],
	from?: string | null
) {
	if (!context.period) return;
	const grids = await tx.query<{ code: string }>(
		`SELECT DISTINCT g.code FROM grid g
		 WHERE g.id = ANY ($2::int[])
		    OR g.id IN (SELECT h.grid_id FROM import_change c JOIN household h ON h.id = c.row_id
		                WHERE c.batch_id = $1 AND c.table_name = 'household')`,
		[batchId, gridIds ?? []]
	);
	if (grids.length)
		await refreshAfterWrite(
			tx,
			subdistrictId,
			context.period,
			// Persons count from their arrival on: the days before it are left as they are.
			from && from > context.period.first ? from : context.period.first,
			grids.map((g) => g.code),
			true,
			context.clock
		);
}

/**
 * After a returnee batch is written or undone: the figures of the grids its persons live and lived
 * in, and the gap queue (returnees due for screening are known at once).
 */
export async function refreshPersons(
	tx: Queryable,
	subdistrictId: number,
	context: WriteContext,
	touched: { gridIds: number[]; from: string | null }
) {
	await refreshHouseholdGrids(tx, subdistrictId, -1, context, touched.gridIds, touched.from);
	await syncGaps(tx, subdistrictId, context.clock, { settings: context.settings });
}

/** Undoes an address batch (households and buildings it added, members it changed); refused while persons or observations use them. */
async function undoAddresses(
	tx: Queryable,
	subdistrictId: number,
	id: number,
	context: { period: { first: string; last: string } | null; clock: number }
) {
	const w = say();
	const added = await tx.query<{ id: number }>(
		`SELECT row_id AS id FROM import_change WHERE batch_id = $1 AND table_name = 'household' AND before IS NULL`,
		[id]
	);
	const householdIds = added.map((a) => a.id);
	const [used] = await tx.query<{ persons: number; observations: number }>(
		// Persons in them, and persons a committed returnee batch moved out of them (its rollback would move them back).
		`SELECT (SELECT count(*)::int FROM person WHERE household_id = ANY ($1::int[]))
		      + (SELECT count(*)::int FROM import_change c JOIN import_batch b ON b.id = c.batch_id AND b.status = 'committed'
		         WHERE c.table_name = 'person' AND (c.before->>'householdId')::int = ANY ($1::int[])) AS persons,
		        (SELECT count(*)::int FROM observation WHERE household_id = ANY ($1::int[])) AS observations`,
		[householdIds]
	);
	if (used.persons || used.observations)
		error(409, {
			message: w.intake_rollback_in_use({
				id: String(id),
				persons: String(used.persons),
				observations: String(used.observations)
			}),
			code: 'conflict'
		});
	const grids = await tx.query<{ gridId: number }>(
		`SELECT DISTINCT h.grid_id AS "gridId" FROM import_change c JOIN household h ON h.id = c.row_id
		 WHERE c.batch_id = $1 AND c.table_name = 'household' AND h.grid_id IS NOT NULL`,
		[id]
	);
	await tx.query(
		`UPDATE household h SET members = (c.before->>'members')::int
		 FROM import_change c WHERE c.batch_id = $1 AND c.table_name = 'household' AND c.before IS NOT NULL AND h.id = c.row_id`,
		[id]
	);
	await tx.query('DELETE FROM household WHERE id = ANY ($1::int[])', [householdIds]);
	await tx.query(
		`DELETE FROM building WHERE id IN (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'building' AND before IS NULL)`,
		[id]
	);
	await refreshHouseholdGrids(
		tx,
		subdistrictId,
		-1,
		context,
		grids.map((g) => g.gridId)
	);
}

/**
 * Undoes a committed batch: households and buildings it added are removed, members it changed are
 * put back. Refused while a later batch changed the same rows or records entered since depend on
 * them (a person registered in a new household): nothing is undone then.
 */
export async function rollbackImport(
	tx: Queryable,
	scope: AccessScope,
	id: number,
	actor: Actor,
	context: WriteContext
): Promise<ImportBatchView> {
	const w = say();
	const batch = await lockedBatch(tx, id);
	if (batch.status !== 'committed')
		error(409, {
			message:
				batch.status === 'rolled_back'
					? w.intake_already_rolled_back({ id: String(id) })
					: w.intake_not_committed({ id: String(id) }),
			code: 'conflict'
		});
	const [later] = await tx.query<{ id: number }>(
		`SELECT c2.batch_id AS id FROM import_change c
		 JOIN import_batch b ON b.id = c.batch_id
		 JOIN import_change c2 ON c2.table_name = c.table_name AND c2.row_id = c.row_id AND c2.batch_id <> c.batch_id
		 JOIN import_batch b2 ON b2.id = c2.batch_id AND b2.status = 'committed' AND b2.commit_seq > b.commit_seq
		 WHERE c.batch_id = $1 ORDER BY b2.commit_seq LIMIT 1`,
		[id]
	);
	if (later)
		error(409, {
			message: w.intake_rollback_later_batch({ id: String(id), later: String(later.id) }),
			code: 'conflict'
		});
	if (batch.kind === 'returnees') {
		const touched = await personGrids(tx, id);
		const used = await undoReturnees(tx, id);
		if (used.merges)
			error(409, {
				message: w.intake_rollback_persons_merged({ id: String(id), merges: String(used.merges) }),
				code: 'conflict'
			});
		if (used.screenings || used.observations)
			error(409, {
				message: w.intake_rollback_persons_in_use({
					id: String(id),
					screenings: String(used.screenings),
					observations: String(used.observations)
				}),
				code: 'conflict'
			});
		await refreshPersons(tx, scope.subdistrictId, context, touched);
	} else if (isAreaKind(batch.kind)) {
		const level = levelOf(batch.kind);
		const changed = await tx.query<{ id: number }>(
			`SELECT row_id AS id FROM import_change WHERE batch_id = $1 AND before IS NOT NULL`,
			[id]
		);
		const moved = await undoAreas(tx, scope.subdistrictId, id, level);
		if (level === 'grid')
			await refreshPersons(tx, scope.subdistrictId, context, {
				gridIds: [...new Set([...moved, ...changed.map((c) => c.id)])],
				from: null
			});
	} else await undoAddresses(tx, scope.subdistrictId, id, context);
	await tx.query(
		`UPDATE import_batch SET status = 'rolled_back', rolled_back_at = now(), rolled_back_by = $2 WHERE id = $1`,
		[id, actor.id]
	);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'import.rollback',
		targetKind: 'import',
		targetId: String(id),
		detail: { kind: batch.kind, file: batch.fileName },
		address: actor.address
	});
	return (await batchView(tx, id))!;
}

/** A batch's refused rows as an XLSX workbook, in the reader's words (GET /api/imports/ID/report). */
export async function problemsReport(tx: Queryable, id: number, lang: Lang): Promise<Uint8Array> {
	const [batch] = await tx.query<{ errors: RowProblem[]; fileName: string; total: number | null }>(
		`SELECT errors, file_name AS "fileName", (options->>'problems')::int AS total FROM import_batch WHERE id = $1`,
		[id]
	);
	if (!batch)
		error(404, { message: say().intake_batch_not_found({ id: String(id) }), code: 'not_found' });
	const w = words(lang);
	const book = new ExcelJS.Workbook();
	const sheet = book.addWorksheet(w.intake_report_sheet());
	sheet.columns = [
		{ header: w.intake_col_row(), key: 'row', width: 8 },
		{ header: w.intake_col_column(), key: 'column', width: 18 },
		{ header: w.intake_col_value(), key: 'value', width: 30 },
		{ header: w.intake_col_reason(), key: 'reason', width: 50 }
	];
	for (const p of batch.errors) sheet.addRow(problemWords(p, lang));
	const more = (batch.total ?? 0) - batch.errors.length;
	if (more > 0) sheet.addRow({ reason: w.intake_report_more({ count: String(more) }) });
	sheet.getRow(1).font = { bold: true };
	return new Uint8Array(await book.xlsx.writeBuffer());
}
