import ExcelJS from 'exceljs';
import type { AreaTable, ColumnFormat } from '../../../map/table';
import { beijingWallDate } from '../../../core/time';

/** One line of the sheet's description: a label and its value; dates are written as date cells. */
export interface MetaLine {
	label: string;
	value: string | number | { day: string } | { instant: number };
}

/**
 * Excel dates carry no time zone and ExcelJS writes a Date's UTC fields: a Beijing wall-clock
 * time is written as that time in UTC, so the cell reads as Beijing time.
 */
const beijingCell = beijingWallDate;
const dayCell = (day: string) => new Date(`${day}T00:00:00Z`);

/** Number formats with thousands separators (the cells stay numbers, so they can be summed). */
const NUMBER_FORMATS: Partial<Record<ColumnFormat, string>> = {
	percent: '0.0%',
	change_pp: '+0.0%;-0.0%;0.0%',
	int: '#,##0',
	decimal: '#,##0.0',
	change: '+#,##0.0;-#,##0.0;0.0',
	datetime: 'yyyy-mm-dd hh:mm'
};

/** A cell as written: a datetime column's ISO text (Beijing, +08:00) becomes a date cell. */
function cellValue(cell: AreaTable['rows'][number][number], format: ColumnFormat) {
	if (format === 'datetime' && typeof cell === 'string') {
		const ms = Date.parse(cell);
		return Number.isNaN(ms) ? cell : beijingCell(ms);
	}
	return cell;
}

/**
 * The map's table as an XLSX workbook: a title row, the view's description (label and value),
 * then a header and one row per area. Numbers stay numbers, with separators and % formats;
 * dates and times are date cells.
 */
export async function toXlsx(
	table: AreaTable,
	description: MetaLine[],
	sheetName: string
): Promise<ArrayBuffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Gridwatch';
	workbook.created = new Date();
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
	sheet.addRow([table.title]).font = { bold: true, size: 14 };
	for (const line of description) {
		const { value } = line;
		const row = sheet.addRow([
			line.label,
			typeof value === 'object'
				? 'day' in value
					? dayCell(value.day)
					: beijingCell(value.instant)
				: value
		]);
		const cell = row.getCell(2);
		if (typeof value === 'object') cell.numFmt = 'day' in value ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm';
		cell.alignment = { horizontal: 'left' };
	}
	sheet.addRow([]);
	const header = sheet.addRow(table.columns.map((c) => c.label));
	header.font = { bold: true };
	const headerRow = header.number;
	for (const row of table.rows) {
		const added = sheet.addRow(row.map((cell, i) => cellValue(cell, table.columns[i].format)));
		// Formats on the data cells only: the description above shares these columns.
		table.columns.forEach((column, i) => {
			const numFmt = NUMBER_FORMATS[column.format];
			if (numFmt) added.getCell(i + 1).numFmt = numFmt;
		});
	}
	// The first two columns also hold the description's labels and values (dates need 17 characters).
	const least = [22, 18];
	table.columns.forEach((column, i) => {
		sheet.getColumn(i + 1).width = Math.max(
			least[i] ?? (column.format === 'datetime' ? 17 : 10),
			Math.min(40, column.label.length * 2 + 2)
		);
	});
	sheet.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 2 }];
	sheet.autoFilter = {
		from: { row: headerRow, column: 1 },
		to: { row: headerRow, column: table.columns.length }
	};
	const buffer = await workbook.xlsx.writeBuffer();
	return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer).slice().buffer;
}
