import type { TextEncoding } from './decode';

/**
 * A spreadsheet as read (CSV or a sheet of an XLSX): rows of cell texts, each with the row number the
 * user sees in their program. Its header is on row 1 or 2 (a merged title row above it is skipped),
 * recognised by the usual Chinese (and English) column names of each kind of file.
 */
export interface SheetRow {
	/** The row number in the file, 1-based, as Excel and WPS number rows. */
	row: number;
	cells: string[];
}

/** A field an import reads, and the headers that name it (compared without spaces, case or marks). */
export interface FieldSpec<F extends string> {
	field: F;
	headers: string[];
	required?: boolean;
}

/** How a file's columns were read: which field each column fills, and the header row. */
export interface ColumnMap<F extends string> {
	headerRow: number;
	/** Column index (0-based) of each field found. */
	columns: Partial<Record<F, number>>;
	/** Header texts of the columns no field reads (told in the preview, never an error). */
	ignored: string[];
	/** The header as it is in the file, by column index (for error reports). */
	headers: string[];
}

const key = (text: string) =>
	text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s_\-()（）:：*＊/、.]/g, '');

/** 'A', 'B', … 'AA': a column as the user's spreadsheet names it. */
export function columnLetter(index: number): string {
	let n = index + 1;
	let out = '';
	while (n > 0) {
		out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
		n = Math.floor((n - 1) / 26);
	}
	return out;
}

function match<F extends string>(cells: string[], specs: FieldSpec<F>[]) {
	const columns: Partial<Record<F, number>> = {};
	cells.forEach((cell, index) => {
		const k = key(cell);
		if (!k) return;
		const spec = specs.find(
			(s) => columns[s.field] === undefined && s.headers.some((h) => key(h) === k)
		);
		if (spec) columns[spec.field] = index;
	});
	return columns;
}

/**
 * Finds the header among the first rows (a title row, often merged across the sheet, may come
 * first) and maps each column to its field; `mapping` (header text → field, a saved preset or the
 * user's choice) wins over the usual names. Null when no row names enough fields: `missing` says
 * which required ones the best row lacked.
 */
export function mapColumns<F extends string>(
	rows: SheetRow[],
	specs: FieldSpec<F>[],
	mapping: Partial<Record<string, F>> = {}
): { map: ColumnMap<F> } | { missing: F[] } {
	const withMapping: FieldSpec<F>[] = [
		...Object.entries(mapping).flatMap(([header, field]) =>
			field ? [{ field, headers: [header] }] : []
		),
		...specs
	];
	let best: { at: number; columns: Partial<Record<F, number>> } | null = null;
	for (let at = 0; at < Math.min(rows.length, 3); at++) {
		const columns = match(rows[at].cells, withMapping);
		if (!best || Object.keys(columns).length > Object.keys(best.columns).length)
			best = { at, columns };
	}
	const required = specs.filter((s) => s.required).map((s) => s.field);
	if (!best || required.some((f) => best!.columns[f] === undefined))
		return { missing: required.filter((f) => best?.columns[f] === undefined) };
	const header = rows[best.at].cells;
	const used = new Set(Object.values(best.columns));
	return {
		map: {
			headerRow: rows[best.at].row,
			columns: best.columns,
			ignored: header.filter((h, i) => h.trim() && !used.has(i)),
			headers: header
		}
	};
}

/** The rows under the header, as field → text (trimmed), with their row numbers; blank rows dropped. */
export function records<F extends string>(
	rows: SheetRow[],
	map: ColumnMap<F>
): { row: number; values: Partial<Record<F, string>> }[] {
	return rows
		.filter((r) => r.row > map.headerRow && r.cells.some((c) => c.trim() !== ''))
		.map((r) => {
			const values: Partial<Record<F, string>> = {};
			for (const [field, index] of Object.entries(map.columns) as [F, number][])
				values[field] = (r.cells[index] ?? '').trim();
			return { row: r.row, values };
		});
}

/** What a file was, as the preview says it: CSV in its encoding, XLSX and its sheet, or a boundary format. */
export interface SheetSource {
	/** A register's sheet, or a boundary file's format. */
	format: 'csv' | 'xlsx' | 'geojson' | 'shapefile' | 'kml';
	encoding?: TextEncoding;
	sheet?: string;
	sheets?: string[];
}
