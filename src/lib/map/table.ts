/**
 * The table behind the map: one row per area shown, with the shaded value, its class and the
 * figures it comes from. The page shows it (every colour readable as a number) and the server
 * writes the same rows to CSV and XLSX.
 */
import { classOf } from '../domain/classify';
import { METRICS, type MetricId } from '../domain/metrics';
import { words, type Lang, type Words } from '../core/i18n';
import type { ShadedArea, Shading } from './legend';

/** change_pp: a change of a ratio in percentage points; change: of a count; datetime: Beijing time, ISO with +08:00. */
export type ColumnFormat =
	'text' | 'int' | 'percent' | 'decimal' | 'change' | 'change_pp' | 'datetime';
export interface TableColumn {
	key: string;
	label: string;
	format: ColumnFormat;
}
export type Cell = string | number | null;

export type TableArea = Partial<ShadedArea> & {
	code: string;
	name: string;
	communityName?: string;
	lastReportAt?: string | null;
};

export interface AreaTable {
	title: string;
	columns: TableColumn[];
	rows: Cell[][];
}

const FIGURE_COLUMNS: { key: keyof ShadedArea; label: (w: Words) => string }[] = [
	{ key: 'householdsRegistered', label: (w) => w.map_registered_households() },
	{ key: 'residentsRegistered', label: (w) => w.map_registered_residents() },
	{ key: 'observedHouseholds', label: (w) => w.map_observed_households() },
	{ key: 'observedPersons', label: (w) => w.map_observed_persons() },
	{ key: 'returneesDue', label: (w) => w.map_returnees_due() },
	{ key: 'returneesScreened', label: (w) => w.map_returnees_screened() },
	{ key: 'overdueScreenings', label: (w) => w.core_unscreened_24h() },
	{ key: 'requiredShiftHours', label: (w) => w.map_required_shift_hours() },
	{ key: 'staffedShiftHours', label: (w) => w.map_staffed_shift_hours() },
	{ key: 'understaffedShifts', label: (w) => w.core_understaffed_shifts() }
];

export function buildAreaTable(
	metricId: MetricId,
	areas: TableArea[],
	shading: Shading,
	lang: Lang,
	title: string
): AreaTable {
	const metric = METRICS[metricId];
	const w = words(lang);
	const change = shading.change;
	const valueFormat: ColumnFormat = change
		? metric.format === 'percent'
			? 'change_pp'
			: 'change'
		: metric.format === 'percent'
			? 'percent'
			: shading.normalisation === 'count'
				? 'int'
				: 'decimal';
	const valueLabel = !change
		? metric.label[lang]
		: metric.format === 'percent'
			? w.map_change_column_pp({ metric: metric.label[lang], change: change.title })
			: w.map_change_column({ metric: metric.label[lang], change: change.title });
	const present = FIGURE_COLUMNS.filter((c) => areas.some((a) => typeof a[c.key] === 'number'));
	const columns: TableColumn[] = [
		{ key: 'code', label: w.map_column_code(), format: 'text' },
		{ key: 'name', label: w.core_place_name(), format: 'text' },
		...(areas.some((a) => a.communityName)
			? [
					{
						key: 'communityName',
						label: w.map_column_community(),
						format: 'text' as const
					}
				]
			: []),
		{ key: 'value', label: valueLabel, format: valueFormat },
		{ key: 'class', label: w.map_column_class(), format: 'text' },
		...present.map((c) => ({ key: c.key, label: c.label(w), format: 'int' as const })),
		...(areas.some((a) => a.lastReportAt !== undefined)
			? [
					{
						key: 'lastReportAt',
						label: w.core_last_report(),
						format: 'datetime' as const
					}
				]
			: [])
	];
	const rows = areas.map((area) => {
		const value = shading.valueOf(area as ShadedArea);
		const c = classOf(value, shading.scheme);
		const classLabel =
			c === null ? shading.entries[shading.entries.length - 1].label : shading.entries[c].label;
		return columns.map((column): Cell => {
			if (column.key === 'value') return value === null ? null : Math.round(value * 1e6) / 1e6;
			if (column.key === 'class') return classLabel;
			const cell = (area as Record<string, unknown>)[column.key];
			return typeof cell === 'number' || typeof cell === 'string' ? cell : null;
		});
	});
	return { title, columns, rows };
}

/**
 * How a cell reads: percentages as "95.1%", changes signed. On the page (`lang` given) numbers carry
 * thousands separators (12,345); in CSV (no `lang`) they do not, so that any spreadsheet or script
 * reads them back as numbers whatever its locale.
 */
export function formatCell(cell: Cell, format: ColumnFormat, lang: Lang | null = null): string {
	if (cell === null) return '';
	if (typeof cell === 'string')
		return format === 'datetime' ? cell.slice(0, 16).replace('T', ' ') : cell;
	const fixed = (n: number, digits: number) =>
		lang
			? n.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })
			: n.toFixed(digits);
	const sign = cell > 0 ? '+' : '';
	// A change that rounds to nothing is 0.0, not "-0.0" or "+0.0".
	if (format === 'change_pp')
		return Math.round(cell * 1000) === 0 ? fixed(0, 1) : `${sign}${fixed(cell * 100, 1)}`;
	if (format === 'change') {
		const digits = Number.isInteger(cell) ? 0 : 1;
		return Math.round(cell * 10 ** digits) === 0
			? fixed(0, digits)
			: `${sign}${fixed(cell, digits)}`;
	}
	if (format === 'percent') return `${fixed(cell * 100, 1)}%`;
	if (format === 'decimal') return fixed(cell, 1);
	return fixed(Math.round(cell), 0);
}

/** RFC 4180 CSV with a UTF-8 byte-order mark, so spreadsheet programs read the Chinese text. */
export function toCsv(table: AreaTable): string {
	const quote = (text: string) =>
		/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	const lines = [table.columns.map((c) => quote(c.label)).join(',')];
	// Text that a spreadsheet would run as a formula (=, +, -, @ first) is kept as text (OWASP CSV injection).
	const text = (cell: Cell, i: number) =>
		typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell)
			? `'${cell}`
			: formatCell(cell, table.columns[i].format);
	for (const row of table.rows) lines.push(row.map((cell, i) => quote(text(cell, i))).join(','));
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
