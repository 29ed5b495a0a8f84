/**
 * The table behind the map: one row per area shown, with the shaded value, its class and the
 * figures it comes from. The page shows it (every colour readable as a number) and the server
 * writes the same rows to CSV and XLSX.
 */
import { classOf } from '../domain/classify';
import { METRICS, type MetricId } from '../domain/metrics';
import type { Lang } from '../i18n';
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

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const FIGURE_COLUMNS: { key: keyof ShadedArea; label: { 'zh-CN': string; en: string } }[] = [
	{ key: 'householdsRegistered', label: L('登记户数', 'Registered households') },
	{ key: 'residentsRegistered', label: L('登记人口', 'Registered residents') },
	{ key: 'observedHouseholds', label: L('居家观察户数', 'Observed households') },
	{ key: 'observedPersons', label: L('居家观察人数', 'Observed persons') },
	{ key: 'returneesDue', label: L('应排查返杭人员', 'Returnees due') },
	{ key: 'returneesScreened', label: L('已排查返杭人员', 'Returnees screened') },
	{ key: 'overdueScreenings', label: L('超 24 小时未排查', 'Unscreened over 24 h') },
	{ key: 'requiredShiftHours', label: L('应岗班时', 'Required shift-hours') },
	{ key: 'staffedShiftHours', label: L('在岗班时', 'Staffed shift-hours') },
	{ key: 'understaffedShifts', label: L('缺员班次', 'Understaffed shifts') }
];

export function buildAreaTable(
	metricId: MetricId,
	areas: TableArea[],
	shading: Shading,
	lang: Lang,
	title: string
): AreaTable {
	const metric = METRICS[metricId];
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
	const unit = change && metric.format === 'percent' ? (lang === 'en' ? ', pp' : '，个百分点') : '';
	const valueLabel = change
		? `${metric.label[lang]}（${change.title}${unit}）`
		: metric.label[lang];
	const present = FIGURE_COLUMNS.filter((c) => areas.some((a) => typeof a[c.key] === 'number'));
	const columns: TableColumn[] = [
		{ key: 'code', label: lang === 'en' ? 'Code' : '编码', format: 'text' },
		{ key: 'name', label: lang === 'en' ? 'Name' : '名称', format: 'text' },
		...(areas.some((a) => a.communityName)
			? [
					{
						key: 'communityName',
						label: lang === 'en' ? 'Community' : '所属社区',
						format: 'text' as const
					}
				]
			: []),
		{ key: 'value', label: valueLabel, format: valueFormat },
		{ key: 'class', label: lang === 'en' ? 'Class' : '分级', format: 'text' },
		...present.map((c) => ({ key: c.key, label: c.label[lang], format: 'int' as const })),
		...(areas.some((a) => a.lastReportAt !== undefined)
			? [
					{
						key: 'lastReportAt',
						label: lang === 'en' ? 'Last report' : '最近上报',
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
