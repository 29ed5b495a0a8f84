import ExcelJS from 'exceljs';
import { decodeText } from '../model/decode';
import { CsvError, parseCsv } from '../model/csv';
import type { SheetRow, SheetSource } from '../model/table';

/** A cell's text as the user sees it: dates as YYYY-MM-DD, formulas as their result, rich text joined. */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	// A number in a date-formatted cell (a phone number) may be no date at all: its digits, then.
	if (value instanceof Date)
		return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
	if (typeof value === 'object') {
		if ('richText' in value) return value.richText.map((r) => r.text).join('');
		if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
		if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
		if ('error' in value) return '';
		return '';
	}
	// A number past 15 digits (an ID number typed into a number cell) lost its last digits in the
	// spreadsheet: given as 4.20102198503120E+17, never as digits that look whole.
	if (typeof value === 'number' && Math.abs(value) >= 1e15)
		return value.toExponential().toUpperCase();
	return String(value);
}

/** Thrown for a file that is neither a readable CSV nor an XLSX workbook (or lacks the sheet asked). */
export class SheetError extends Error {
	constructor(
		readonly problem: 'not_xlsx' | 'no_sheet' | 'unclosed_quote' | 'text_after_quote',
		readonly detail: string
	) {
		super(`${problem}: ${detail}`);
	}
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const MAX_COLUMNS = 200;
/** A cell's text without control characters (a NUL cannot be stored; none belongs in a register). */
const clean = (text: string) =>
	// eslint-disable-next-line no-control-regex
	text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();

/**
 * The rows of a register: an XLSX (a zip; its first sheet or the one named) or else a CSV in
 * UTF-8, UTF-8 with BOM, UTF-16 or GB18030 (detected). Merged title rows come through as rows whose
 * cells repeat or are empty; the header search skips them.
 */
export async function readSheet(
	bytes: Uint8Array,
	sheetName?: string
): Promise<{ rows: SheetRow[]; source: SheetSource }> {
	if (ZIP.every((b, i) => bytes[i] === b)) {
		const book = new ExcelJS.Workbook();
		try {
			await book.xlsx.load(
				bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
			);
		} catch (cause) {
			throw new SheetError('not_xlsx', (cause as Error).message.slice(0, 120));
		}
		// Columns past the 200th are never a register's (and a stray cell at XFD would widen every row).
		const sheets = book.worksheets.map((s) => s.name);
		const sheet = sheetName ? book.getWorksheet(sheetName) : book.worksheets[0];
		if (!sheet) throw new SheetError('no_sheet', sheetName ?? '');
		const rows: SheetRow[] = [];
		sheet.eachRow({ includeEmpty: false }, (row, number) => {
			const cells: string[] = [];
			row.eachCell({ includeEmpty: false }, (cell, column) => {
				if (column > MAX_COLUMNS) return;
				// A merged range's other cells repeat the master's value: keep it once, in the master.
				const text =
					cell.isMerged && cell.master.address !== cell.address ? '' : cellText(cell.value);
				cells[column - 1] = clean(text);
			});
			rows.push({ row: number, cells: Array.from(cells, (c) => c ?? '') });
		});
		return { rows, source: { format: 'xlsx', sheet: sheet.name, sheets } };
	}
	const { text, encoding } = decodeText(bytes);
	try {
		const rows = parseCsv(text).map(({ cells, line }) => ({
			row: line,
			cells: cells.slice(0, MAX_COLUMNS).map(clean)
		}));
		return { rows, source: { format: 'csv', encoding } };
	} catch (cause) {
		if (!(cause instanceof CsvError)) throw cause;
		throw new SheetError(cause.problem, String(cause.line));
	}
}
