/**
 * A scenario's files: the dispatch as CSV, and a workbook (summary, dispatch, grids, needs). Places
 * are named as people name them — the community, the grid, the checkpoint's own name (文渊名邸东门),
 * the shift as "2020-02-28 22:00–06:00" — with the codes kept in the last columns for matching.
 * In the workbook numbers stay numbers (with thousands separators) and times are date cells.
 */
import ExcelJS from 'exceljs';
import {
	beijingClock,
	beijingDateTime,
	beijingWallDate,
	SHIFT_LENGTH_MS,
	slotStart
} from '../../core/time';
import { SKILL_LABELS } from '../../domain/planner';
import type { Queryable } from '../db/types';
import type { Scenario } from '../../features/planner/contract';
import { scenarioDispatch } from './scenarios';

type Lang = 'zh-CN' | 'en';

/** The subdistrict's places by code, named in the user's language (checkpoints have one name: a place name). */
export interface PlaceNames {
	community: Map<string, string>;
	grid: Map<string, { name: string; community: string }>;
	checkpoint: Map<string, string>;
}

export async function loadPlaceNames(
	tx: Queryable,
	subdistrictId: number,
	lang: Lang
): Promise<PlaceNames> {
	const en = lang === 'en';
	const rows = await tx.query<{
		kind: string;
		code: string;
		name: string;
		community: string | null;
	}>(
		`SELECT 'community' AS kind, code, ${en ? 'name_en' : 'name'} AS name, NULL AS community FROM community WHERE subdistrict_id = $1
		 UNION ALL
		 SELECT 'grid', g.code, ${en ? `c.name_en || ' grid ' || ltrim(right(g.code, 2), '0')` : 'g.name'}, ${en ? 'c.name_en' : 'c.name'}
		 FROM grid g JOIN community c ON c.id = g.community_id WHERE g.subdistrict_id = $1
		 UNION ALL
		 SELECT 'checkpoint', code, name, NULL FROM checkpoint WHERE subdistrict_id = $1`,
		[subdistrictId]
	);
	const of = (kind: string) => rows.filter((r) => r.kind === kind);
	return {
		community: new Map(of('community').map((r) => [r.code, r.name])),
		grid: new Map(of('grid').map((r) => [r.code, { name: r.name, community: r.community ?? '' }])),
		checkpoint: new Map(of('checkpoint').map((r) => [r.code, r.name]))
	};
}

/** A shift in words: "2020-02-28 22:00–06:00". */
export const shiftWords = (startsAt: number, endsAt: number) =>
	`${beijingDateTime(startsAt)}–${beijingClock(endsAt)}`;
/**
 * An instant as an Excel date cell showing Beijing time: Excel dates have no time zone and ExcelJS
 * writes a Date's UTC fields, so the instant is moved by +8 h.
 */
const excelDate = beijingWallDate;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const COUNT_FORMAT = '#,##0';
const KM_FORMAT = '#,##0.0';

/** Text a spreadsheet would read as a formula (=, +, -, @ first) is kept as text. */
const asText = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

type Cell = string | number | Date;
interface Column {
	header: string;
	width: number;
	numFmt?: string;
}
interface Table {
	columns: Column[];
	rows: Cell[][];
}

function dispatchTable(scenario: Scenario, lang: Lang, names: PlaceNames): Table {
	const en = lang === 'en';
	const L = (zh: string, e: string) => (en ? e : zh);
	return {
		columns: [
			{ header: L('队伍', 'Unit'), width: 18 },
			{ header: L('社区', 'Community'), width: 14 },
			{ header: L('网格', 'Grid'), width: 16 },
			{ header: L('任务', 'Work'), width: 14 },
			{ header: L('卡口', 'Checkpoint'), width: 20 },
			{ header: L('班次', 'Shift'), width: 24 },
			{ header: L('开始', 'From'), width: 17, numFmt: DATE_FORMAT },
			{ header: L('人数', 'People'), width: 8, numFmt: COUNT_FORMAT },
			{ header: L('路程 km', 'Travel km'), width: 10, numFmt: KM_FORMAT },
			{ header: L('网格编码', 'Grid code'), width: 10 },
			{ header: L('卡口编码', 'Checkpoint code'), width: 14 }
		],
		rows: scenarioDispatch(scenario).map((r) => {
			const grid = names.grid.get(r.grid);
			return [
				asText(r.unit),
				grid?.community ?? '',
				grid?.name ?? r.grid,
				SKILL_LABELS[r.duty][lang],
				r.checkpoint ? (names.checkpoint.get(r.checkpoint) ?? r.checkpoint) : '',
				shiftWords(r.startsAt, r.endsAt),
				excelDate(r.startsAt),
				r.people,
				Math.round(r.km * 10) / 10,
				r.grid,
				r.checkpoint ?? ''
			];
		})
	};
}

/** The dispatch as CSV: UTF-8 with a BOM (Excel and WPS open it right), CRLF lines; times as Beijing wall-clock text. */
export function scenarioCsv(scenario: Scenario, lang: Lang, names: PlaceNames): string {
	const text = (v: Cell) =>
		v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : String(v);
	const cell = (v: Cell) =>
		/[",\r\n]/.test(text(v)) ? `"${text(v).replace(/"/g, '""')}"` : text(v);
	const table = dispatchTable(scenario, lang, names);
	return (
		'\ufeff' +
		[table.columns.map((c) => c.header), ...table.rows]
			.map((r) => r.map(cell).join(','))
			.join('\r\n') +
		'\r\n'
	);
}

function addTable(workbook: ExcelJS.Workbook, name: string, table: Table) {
	const sheet = workbook.addWorksheet(name);
	sheet.addRow(table.columns.map((c) => c.header)).font = { bold: true };
	for (const row of table.rows) sheet.addRow(row);
	table.columns.forEach((c, i) => {
		const column = sheet.getColumn(i + 1);
		column.width = c.width;
		if (c.numFmt) column.numFmt = c.numFmt;
	});
	// The header keeps the general format (a number format on a text header is harmless, but cleaner without).
	sheet.getRow(1).eachCell((cell) => (cell.numFmt = 'General'));
	sheet.views = [{ state: 'frozen', ySplit: 1 }];
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
}

function summarySheet(workbook: ExcelJS.Workbook, scenario: Scenario, lang: Lang) {
	const L = (zh: string, e: string) => (lang === 'en' ? e : zh);
	const f = scenario.figures;
	const about = workbook.addWorksheet(L('概况', 'Summary'));
	about.addRow([asText(`${L('增援方案', 'Reinforcement plan')}: ${scenario.name}`)]).font = {
		bold: true,
		size: 14
	};
	const lines: [string, Cell][] = [
		[L('计算时间（北京时间）', 'Made at (Beijing time)'), excelDate(Date.parse(scenario.asOf))],
		[L('计算人', 'Made by'), asText(scenario.createdBy ?? '')],
		[
			L('时段', 'Horizon'),
			scenario.horizon === 'shift'
				? L('当前及下一班', 'This and the next shift')
				: L('未来 24 小时', 'The next 24 h')
		],
		[
			L('目标', 'Objective'),
			scenario.objective === 'fairest'
				? L('最公平', 'Fairest')
				: L(
						'加权缺口最少（紧急 ×3、重要 ×2、一般 ×1）',
						'Least weighted unmet need (urgent ×3, important ×2, routine ×1)'
					)
		],
		[
			L('每网格最多', 'Most per grid'),
			scenario.request.options.maxPerGrid ?? L('不限', 'no limit')
		],
		[
			L('同一队伍不拆分', 'Units kept together'),
			scenario.request.options.keepUnitsTogether ? L('是', 'yes') : L('否', 'no')
		],
		[
			L('工作量标准：每人每天排查', 'Norm: screenings per worker a day'),
			scenario.request.norms.screeningsPerWorker
		],
		[
			L('工作量标准：每人每天服务户数', 'Norm: households per worker a day'),
			scenario.request.norms.householdsPerWorker
		],
		[L('人员池', 'People in the pool'), f.poolPeople],
		[L('需要', 'People wanted'), f.wanted],
		[L('派出', 'People sent'), f.sent],
		[L('未满足（优化）', 'Unmet (optimised)'), f.unmetPeople],
		[L('加权未满足（优化）', 'Weighted unmet (optimised)'), f.weightedUnmet],
		[L('人·公里（优化）', 'Person-km (optimised)'), f.km],
		[L('未满足（基线）', 'Unmet (greedy baseline)'), f.greedy.unmetPeople],
		[L('加权未满足（基线）', 'Weighted unmet (greedy baseline)'), f.greedy.weightedUnmet],
		[L('人·公里（基线）', 'Person-km (greedy baseline)'), f.greedy.km],
		[
			L('执行时间（北京时间）', 'Applied at (Beijing time)'),
			scenario.appliedAt ? excelDate(Date.parse(scenario.appliedAt)) : L('未执行', 'not applied')
		],
		[L('执行人', 'Applied by'), asText(scenario.appliedBy ?? '')]
	];
	for (const [label, value] of lines) {
		const cell = about.addRow([label, value]).getCell(2);
		if (value instanceof Date) cell.numFmt = DATE_FORMAT;
		else if (typeof value === 'number')
			cell.numFmt = Number.isInteger(value) ? COUNT_FORMAT : KM_FORMAT;
		cell.alignment = { horizontal: 'left' };
	}
	about.getColumn(1).width = 34;
	about.getColumn(2).width = 60;
}

/** The scenario as a workbook: a summary, the dispatch, each grid's share with its reason, and the needs. */
export async function scenarioXlsx(
	scenario: Scenario,
	lang: Lang,
	names: PlaceNames
): Promise<ArrayBuffer> {
	const L = (zh: string, e: string) => (lang === 'en' ? e : zh);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Gridwatch';
	workbook.created = new Date();
	summarySheet(workbook, scenario, lang);
	addTable(workbook, L('派遣', 'Dispatch'), dispatchTable(scenario, lang, names));
	const count = (header: string, width = 9): Column => ({ header, width, numFmt: COUNT_FORMAT });
	addTable(workbook, L('网格', 'Grids'), {
		columns: [
			{ header: L('社区', 'Community'), width: 14 },
			{ header: L('网格', 'Grid'), width: 16 },
			count(L('需要', 'Wanted')),
			count(L('优化', 'Optimised')),
			count(L('基线', 'Baseline')),
			{ header: L('说明', 'Why'), width: 70 },
			{ header: L('网格编码', 'Grid code'), width: 10 }
		],
		rows: scenario.result.grids.map((g) => [
			names.community.get(g.communityCode) ?? g.communityCode,
			names.grid.get(g.code)?.name ?? g.code,
			g.wanted,
			g.optimised,
			g.greedy,
			g.reason,
			g.code
		])
	});
	const needShift = (shift: string | null) => {
		if (!shift) return L('白班（执行时排定）', 'a day shift (set when applied)');
		const [day, slot] = shift.split(':');
		const startsAt = slotStart(day, Number(slot));
		return shiftWords(startsAt, startsAt + SHIFT_LENGTH_MS);
	};
	addTable(workbook, L('需求', 'Needs'), {
		columns: [
			{ header: L('社区', 'Community'), width: 14 },
			{ header: L('网格', 'Grid'), width: 16 },
			{ header: L('任务', 'Work'), width: 14 },
			{ header: L('卡口', 'Checkpoint'), width: 20 },
			{ header: L('班次', 'Shift'), width: 24 },
			count(L('需要', 'Wanted')),
			{
				header: L('权重（紧急 3、重要 2、一般 1）', 'Weight (urgent 3, important 2, routine 1)'),
				width: 16,
				numFmt: COUNT_FORMAT
			},
			count(L('仍缺（优化）', 'Still wanted (optimised)'), 14),
			{ header: L('网格编码', 'Grid code'), width: 10 },
			{ header: L('卡口编码', 'Checkpoint code'), width: 14 }
		],
		rows: scenario.result.needs.map((n) => [
			names.grid.get(n.gridCode)?.community ?? '',
			names.grid.get(n.gridCode)?.name ?? n.gridCode,
			SKILL_LABELS[n.skill][lang],
			n.checkpointCode ? (names.checkpoint.get(n.checkpointCode) ?? n.checkpointCode) : '',
			needShift(n.shift),
			n.people,
			n.weight,
			scenario.result.optimised.unmet[n.id] ?? 0,
			n.gridCode,
			n.checkpointCode ?? ''
		])
	});
	const buffer = await workbook.xlsx.writeBuffer();
	return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer).slice().buffer;
}
