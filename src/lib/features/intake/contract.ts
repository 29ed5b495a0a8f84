/** The JSON of the intake routes (/api/imports…), shared by the routes and the /import page. */
import type { Datum } from './model/datum';
import type { SheetSource } from './model/table';
import type { DuplicateRule } from './model/duplicates';

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

/** A person as the duplicate list shows them: masked, with where they live and what they have on file. */
export interface DuplicatePerson {
	id: number;
	nameMasked: string;
	phoneMasked: string | null;
	community: { code: string; name: string; nameEn: string } | null;
	grid: string | null;
	/** 文渊名邸3幢2单元302室, or the household's code where it has no room. */
	address: string;
	origin: string;
	returnee: boolean;
	arrivalDate: string | null;
	keyArea: boolean;
	screenings: number;
	observations: number;
}

/** Two records that are probably one person (横向查重), and the rule that says so. */
export interface DuplicatePair {
	rule: DuplicateRule;
	a: DuplicatePerson;
	b: DuplicatePerson;
}

/** A merge as listed: the file kept, the one merged into it (by its masked name), what moved. */
export interface PersonMergeView {
	id: number;
	rule: DuplicateRule;
	kept: { id: number; nameMasked: string; community: string | null; communityEn: string | null };
	merged: { id: number; nameMasked: string };
	moved: { screenings: number; observations: number; healthChecks: number };
	mergedBy: string;
	mergedAt: string;
	undoneBy: string | null;
	undoneAt: string | null;
}

/** A pair a data officer said are two people. */
export interface ApartView {
	a: { id: number; nameMasked: string };
	b: { id: number; nameMasked: string };
	decidedBy: string;
	decidedAt: string;
}

/** GET /api/duplicates: the candidates (strongest rule first, at most 200; `more` counts the rest), recent merges and decisions. */
export interface DuplicateList {
	pairs: DuplicatePair[];
	more: number;
	merges: PersonMergeView[];
	apart: ApartView[];
}

/** POST/DELETE /api/duplicates/apart: the pair as stored (smaller id first) and whether it is now kept apart. */
export interface ApartDecision {
	a: number;
	b: number;
	apart: boolean;
}
