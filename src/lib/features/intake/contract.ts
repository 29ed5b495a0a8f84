/** The JSON of the intake routes (/api/imports…), shared by the routes and the /import page. */
import type { Datum } from './model/datum';
import type { SheetSource } from './model/table';

export type ImportKind = 'address_register' | 'returnees' | 'grids' | 'communities';
export type ImportStatus = 'dry_run' | 'committed' | 'rolled_back';

export interface ImportCounts {
	new: number;
	updated: number;
	unchanged: number;
	rejected: number;
	/** Buildings the rows add (a building named for the first time, with its coordinates). */
	newBuildings: number;
}

/** One batch as the list shows it (GET /api/imports). */
export interface ImportBatchView {
	id: number;
	kind: ImportKind;
	fileName: string;
	fileHash: string;
	status: ImportStatus;
	counts: ImportCounts;
	createdAt: string;
	createdBy: string;
	committedAt: string | null;
	rolledBackAt: string | null;
}

/** A refused row, in the words of the reader. */
export interface RowProblemView {
	row: number;
	column: string;
	value: string;
	reason: string;
}

/** POST /api/imports → 201: the dry run, nothing written but the batch itself. */
export interface ImportPreview {
	batch: ImportBatchView;
	source: SheetSource;
	datum: Datum;
	/** Each field read and the column it came from: `小区 ← B（小区名称）`. */
	columns: { field: string; column: string }[];
	ignored: string[];
	problems: RowProblemView[];
	/** Problems past the first 500 are counted, not listed (the XLSX report has them all). */
	moreProblems: number;
	/** A batch that committed this very file before (the commit would change nothing it did not). */
	sameFile: { id: number; committedAt: string } | null;
	/** Most new buildings fall outside the jurisdiction but inside it in this datum: probably the file's. */
	datumHint: Datum | null;
	/** Boundary files only: repairs, topology and the outlines to draw. */
	areas: AreaPreview | null;
}

/** An outline the dry run found invalid and repaired (ST_MakeValid) as the commit will store it. */
export interface AreaRepair {
	row: number;
	code: string;
	/** PostGIS's reason (ST_IsValidReason), e.g. `Self-intersection[120.3 30.3]`. */
	reason: string;
	beforeM2: number;
	afterM2: number;
}

/** A place on the map where the areas, as they would be after the commit, do not tile. */
export interface TopologyIssue {
	kind: 'gap' | 'overlap' | 'outside';
	/** The parent the gaps lie in; the two areas that overlap; the area and the parent it leaves. */
	areas: string[];
	areaM2: number;
	/** [lng, lat], WGS84; null for an area leaving its parent (its outline shows where). */
	at: [number, number] | null;
}

/** What a boundary file's dry run adds to the preview. */
export interface AreaPreview {
	level: 'grid' | 'community';
	format: 'geojson' | 'shapefile' | 'kml';
	/** The attribute encoding of a shapefile and where it was learnt (.cpg, the DBF, the bytes). */
	encoding: { name: string; from: 'cpg' | 'dbf' | 'detected' } | null;
	/** The projected CRS the coordinates were unprojected from (.prj or GeoJSON crs), or null: degrees. */
	projection: string | null;
	repairs: AreaRepair[];
	/** Gaps and overlaps over 1 m², areas leaving their parent, with the file written (nothing is yet). */
	topology: TopologyIssue[];
	/** The file's accepted outlines as they would be stored, for the dry run's map (GeoJSON, WGS84). */
	outlines: {
		type: 'FeatureCollection';
		features: {
			type: 'Feature';
			properties: { code: string; name: string; status: 'new' | 'updated' | 'unchanged' };
			geometry: { type: string; coordinates: unknown };
		}[];
	};
}

/** The phases a streamed import passes: the file read and checked, the rows placed, the batch or records written, the figures rebuilt. */
export type ImportPhase = 'read' | 'validated' | 'placed' | 'written' | 'refreshed';

/**
 * A line of a streamed import (POST /api/imports or …/commit with `Accept: application/x-ndjson`):
 * a phase passed (with the rows read), then the answer the plain request gives, or its refusal.
 */
export type ImportProgressLine =
	| { phase: ImportPhase; rows?: number }
	| { phase: 'done'; status: number; result: unknown }
	| { phase: 'error'; status: number; message: string; field?: string; code?: string };

/** GET /api/imports */
export interface ImportList {
	batches: ImportBatchView[];
}

/** A community's figures for a day: as reported, or as counted from the records. */
export interface ReportFigures {
	observedHouseholds: number;
	observedPersons: number;
	screenedToday: number;
}

/** One community on the reporting board. */
export interface ReportingRow {
	code: string;
	name: string;
	nameEn: string;
	/** When the current version was sent (MM-DD HH:MI, Beijing), or null: not reported. */
	reportedAt: string | null;
	version: number | null;
	late: boolean;
	reported: ReportFigures | null;
	records: ReportFigures;
	/** Each figure whose reported value differs from the records. */
	differences: { figure: keyof ReportFigures; reported: number; records: number }[];
}

/** The /import page's reporting board for a day (上报与稽核). */
export interface ReportingBoard {
	date: string;
	total: number;
	reported: number;
	communities: ReportingRow[];
}
