import ExcelJS from 'exceljs';
import type { AreaTable } from '../../map/table';

/**
 * The map's table as an XLSX workbook: a title row, the view's description, then a header and
 * one row per area. Numbers stay numbers (percentages with a % format), so they can be summed.
 */
export async function toXlsx(table: AreaTable, description: string[], sheetName: string): Promise<ArrayBuffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Gridwatch';
	workbook.created = new Date();
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
	sheet.addRow([table.title]).font = { bold: true, size: 14 };
	for (const line of description) sheet.addRow([line]);
	sheet.addRow([]);
	const header = sheet.addRow(table.columns.map((c) => c.label));
	header.font = { bold: true };
	const headerRow = header.number;
	for (const row of table.rows) sheet.addRow(row);
	table.columns.forEach((column, i) => {
		const col = sheet.getColumn(i + 1);
		col.width = Math.max(10, Math.min(40, column.label.length * 2 + 2));
		if (column.format === 'percent') col.numFmt = '0.0%';
		else if (column.format === 'change_pp') col.numFmt = '+0.0%;-0.0%;0.0%';
		else if (column.format === 'int') col.numFmt = '#,##0';
		else if (column.format === 'decimal' || column.format === 'change') col.numFmt = '0.0';
	});
	sheet.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 2 }];
	sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: table.columns.length } };
	const buffer = await workbook.xlsx.writeBuffer();
	return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer).slice().buffer;
}
