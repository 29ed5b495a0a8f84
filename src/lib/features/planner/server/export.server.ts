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
} from '../../../core/time';
import { SKILL_LABELS } from '../model/planner';
import type { Queryable } from '../../../server/db/types';
import type { Scenario } from '../contract';
import { scenarioDispatch } from './scenarios.server';
import { words, type Lang } from '../../../core/i18n';

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
	const w = words(lang);
	return {
		columns: [
			{ header: w.planner_unit(), width: 18 },
			{ header: w.core_community(), width: 14 },
			{ header: w.core_grid(), width: 16 },
			{ header: w.planner_work(), width: 14 },
			{ header: w.planner_checkpoint(), width: 20 },
			{ header: w.core_shift(), width: 24 },
			{ header: w.planner_from(), width: 17, numFmt: DATE_FORMAT },
			{ header: w.planner_people(), width: 8, numFmt: COUNT_FORMAT },
			{ header: w.planner_travel_km(), width: 10, numFmt: KM_FORMAT },
			{ header: w.planner_grid_code(), width: 10 },
			{ header: w.planner_checkpoint_code(), width: 14 }
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
	const w = words(lang);
	const f = scenario.figures;
	const about = workbook.addWorksheet(w.planner_xlsx_sheet_summary());
	about.addRow([asText(w.planner_xlsx_title({ name: scenario.name }))]).font = {
		bold: true,
		size: 14
	};
	const lines: [string, Cell][] = [
		[w.planner_xlsx_made_at(), excelDate(Date.parse(scenario.asOf))],
		[w.planner_xlsx_made_by(), asText(scenario.createdBy ?? '')],
		[
			w.planner_horizon(),
			scenario.horizon === 'shift' ? w.planner_horizon_shift() : w.planner_horizon_day()
		],
		[
			w.planner_objective(),
			scenario.objective === 'fairest' ? w.planner_xlsx_fairest() : w.planner_xlsx_weighted()
		],
		[w.planner_most_per_grid(), scenario.request.options.maxPerGrid ?? w.planner_no_limit()],
		[
			w.planner_xlsx_units_together(),
			scenario.request.options.keepUnitsTogether ? w.core_yes() : w.core_no()
		],
		[w.planner_xlsx_norm_screenings(), scenario.request.norms.screeningsPerWorker],
		[w.planner_xlsx_norm_households(), scenario.request.norms.householdsPerWorker],
		[w.planner_xlsx_pool(), f.poolPeople],
		[w.planner_xlsx_wanted(), f.wanted],
		[w.planner_xlsx_sent(), f.sent],
		[w.planner_xlsx_unmet_optimised(), f.unmetPeople],
		[w.planner_xlsx_weighted_unmet_optimised(), f.weightedUnmet],
		[w.planner_xlsx_person_km_optimised(), f.km],
		[w.planner_xlsx_unmet_baseline(), f.greedy.unmetPeople],
		[w.planner_xlsx_weighted_unmet_baseline(), f.greedy.weightedUnmet],
		[w.planner_xlsx_person_km_baseline(), f.greedy.km],
		[
			w.planner_xlsx_applied_at(),
			scenario.appliedAt ? excelDate(Date.parse(scenario.appliedAt)) : w.planner_xlsx_not_applied()
		],
		[w.planner_xlsx_applied_by(), asText(scenario.appliedBy ?? '')]
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
	const w = words(lang);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Gridwatch';
	workbook.created = new Date();
	summarySheet(workbook, scenario, lang);
	addTable(workbook, w.planner_xlsx_sheet_dispatch(), dispatchTable(scenario, lang, names));
	const count = (header: string, width = 9): Column => ({ header, width, numFmt: COUNT_FORMAT });
	addTable(workbook, w.core_grids(), {
		columns: [
			{ header: w.core_community(), width: 14 },
			{ header: w.core_grid(), width: 16 },
			count(w.planner_wanted()),
			count(w.planner_optimised()),
			count(w.planner_baseline()),
			{ header: w.planner_why(), width: 70 },
			{ header: w.planner_grid_code(), width: 10 }
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
		if (!shift) return w.planner_xlsx_day_shift_later();
		const [day, slot] = shift.split(':');
		const startsAt = slotStart(day, Number(slot));
		return shiftWords(startsAt, startsAt + SHIFT_LENGTH_MS);
	};
	addTable(workbook, w.planner_xlsx_sheet_needs(), {
		columns: [
			{ header: w.core_community(), width: 14 },
			{ header: w.core_grid(), width: 16 },
			{ header: w.planner_work(), width: 14 },
			{ header: w.planner_checkpoint(), width: 20 },
			{ header: w.core_shift(), width: 24 },
			count(w.planner_wanted()),
			{ header: w.planner_xlsx_weight(), width: 16, numFmt: COUNT_FORMAT },
			count(w.planner_xlsx_still_wanted(), 14),
			{ header: w.planner_grid_code(), width: 10 },
			{ header: w.planner_checkpoint_code(), width: 14 }
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
