/**
 * Scenarios: every plan made is kept (named, listed, compared, exported, deleted while a draft);
 * applying one writes its people as staff and their duty as shifts (apply_plan in 0010_plans.sql),
 * runs the gap rules again and tells the maps and the wall.
 */
import ExcelJS from 'exceljs';
import { localDay, localInstant } from '../../domain/gaps';
import { dispatchRows, parseNorms, PlanInputError, SKILL_LABELS, DEFAULT_NORMS, type DispatchRow, type PlannerNorms, type ScenarioFigures } from '../../domain/planner';
import type { Queryable } from '../db/types';
import { readSetting, writeSetting } from '../settings';
import type { PlanRequest, PlanResponse } from './plan';
import { isPlainText } from '../../domain/text';

export const PLANNER_SETTINGS_KEY = 'planner';

/** The workload norms in the settings (administrators change them), or the defaults. */
export async function loadNorms(db: Queryable): Promise<PlannerNorms> {
	return readSetting(db, PLANNER_SETTINGS_KEY, (value) => {
		const parsed = parseNorms(value);
		return 'norms' in parsed ? parsed.norms : null;
	}, DEFAULT_NORMS);
}

export async function saveNorms(db: Queryable, norms: PlannerNorms): Promise<void> {
	await writeSetting(db, PLANNER_SETTINGS_KEY, norms);
}

/** A refusal with an HTTP status: 404 not found, 409 the scenario's state forbids it. */
export class ScenarioError extends PlanInputError {
	constructor(
		readonly status: 404 | 409,
		zh: string,
		en: string
	) {
		super(zh, en);
	}
}


export interface ScenarioSummary {
	id: number;
	name: string;
	createdBy: string | null;
	/** The application's clock when it was made (ISO). */
	asOf: string;
	/** The application's clock when it was applied (ISO), or null for a draft. */
	horizon: PlanRequest['horizon'];
	objective: PlanRequest['options']['objective'];
	figures: ScenarioFigures;
	appliedAt: string | null;
	appliedBy: string | null;
}

export interface Scenario extends ScenarioSummary {
	request: PlanRequest;
	result: PlanResponse;
}

export function figuresOf(result: PlanResponse): ScenarioFigures {
	const sent = result.optimised.assignments.reduce((s, a) => s + a.people, 0);
	return {
		poolPeople: result.units.reduce((s, u) => s + u.people, 0),
		sent,
		wanted: result.needs.reduce((s, n) => s + n.people, 0),
		unmetPeople: result.optimised.unmetPeople,
		weightedUnmet: result.optimised.weightedUnmet,
		km: result.optimised.km,
		worstGridShortfall: result.optimised.worstGridShortfall,
		gridsReached: result.grids.filter((g) => g.optimised > 0).length,
		greedy: { unmetPeople: result.greedy.unmetPeople, weightedUnmet: result.greedy.weightedUnmet, km: result.greedy.km }
	};
}

/** The number of the last plan applied in the caller's subdistrict (0: none yet). Read before the gaps a plan answers. */
export async function lastApplication(tx: Queryable): Promise<number> {
	const [{ seen }] = await tx.query<{ seen: string | number }>('SELECT coalesce(max(apply_seq), 0) AS seen FROM plan_scenario');
	return Number(seen);
}

/** Keeps a plan as a scenario (under the caller's scope); unnamed plans are numbered "方案 N". */
export async function saveScenario(
	tx: Queryable,
	input: { subdistrictId: number; userId: number | null; asOf: number; request: PlanRequest; result: PlanResponse; seenApplySeq: number }
): Promise<ScenarioSummary> {
	let name = input.request.name;
	if (!name) {
		const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int + 1 AS n FROM plan_scenario WHERE subdistrict_id = $1', [input.subdistrictId]);
		name = `方案 ${n}`;
	}
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO plan_scenario (subdistrict_id, name, created_by, as_of, request, result, figures, seen_apply_seq)
		 VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7::text::jsonb, $8) RETURNING id`,
		[input.subdistrictId, name, input.userId, new Date(input.asOf).toISOString(), JSON.stringify(input.request), JSON.stringify(input.result), JSON.stringify(figuresOf(input.result)), input.seenApplySeq]
	);
	return (await getScenario(tx, row.id, false)) as ScenarioSummary;
}

const COLUMNS = `p.id, p.name, u.username AS "createdBy", p.as_of AS "asOf", p.request, p.figures, p.applied_as_of AS "appliedAt", a.username AS "appliedBy"`;
type Row = { id: number; name: string; createdBy: string | null; asOf: Date | string; request: PlanRequest; figures: ScenarioFigures; appliedAt: Date | string | null; appliedBy: string | null };
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function summary(row: Row): ScenarioSummary {
	return {
		id: row.id,
		name: row.name,
		createdBy: row.createdBy,
		asOf: iso(row.asOf)!,
		horizon: row.request.horizon,
		objective: row.request.options.objective,
		figures: row.figures,
		appliedAt: iso(row.appliedAt),
		appliedBy: row.appliedBy
	};
}

/** The scenarios of the caller's subdistrict, newest first. */
export async function listScenarios(tx: Queryable, limit = 50): Promise<ScenarioSummary[]> {
	const rows = await tx.query<Row>(
		`SELECT ${COLUMNS} FROM plan_scenario p LEFT JOIN app_user u ON u.id = p.created_by LEFT JOIN app_user a ON a.id = p.applied_by
		 ORDER BY p.created_at DESC, p.id DESC LIMIT $1`,
		[limit]
	);
	return rows.map(summary);
}

export async function getScenario(tx: Queryable, id: number, whole = true): Promise<Scenario | ScenarioSummary | null> {
	const [row] = await tx.query<Row & { result?: PlanResponse }>(
		`SELECT ${COLUMNS}${whole ? ', p.result' : ''} FROM plan_scenario p LEFT JOIN app_user u ON u.id = p.created_by LEFT JOIN app_user a ON a.id = p.applied_by WHERE p.id = $1`,
		[id]
	);
	if (!row) return null;
	return whole ? { ...summary(row), request: row.request, result: row.result! } : summary(row);
}

const notFound = (id: number) => new ScenarioError(404, `没有方案 ${id}`, `No scenario ${id}`);

export async function renameScenario(tx: Queryable, id: number, name: string): Promise<void> {
	const trimmed = name.trim();
	if (!trimmed || trimmed.length > 80 || !isPlainText(trimmed)) throw new PlanInputError('字段 name 无效：应为 1–80 字，不含控制字符', 'Invalid field name: expected 1 to 80 characters, no control characters');
	const rows = await tx.query('UPDATE plan_scenario SET name = $2 WHERE id = $1 RETURNING id', [id, trimmed]);
	if (!rows.length) throw notFound(id);
}

/** Deletes a draft; an applied scenario stays (its shifts name it). */
export async function deleteScenario(tx: Queryable, id: number): Promise<void> {
	// One statement: an application committed meanwhile leaves the row in place.
	const deleted = await tx.query('DELETE FROM plan_scenario WHERE id = $1 AND applied_at IS NULL RETURNING id', [id]);
	if (deleted.length) return;
	const [row] = await tx.query('SELECT 1 FROM plan_scenario WHERE id = $1', [id]);
	if (!row) throw notFound(id);
	throw new ScenarioError(409, '方案已执行，不能删除（排班记录引用它）', 'This scenario has been applied and cannot be deleted (its shifts refer to it)');
}

/** The scenario's dispatch: who goes where, for which period. */
export function scenarioDispatch(scenario: Scenario): DispatchRow[] {
	return dispatchRows({ needs: scenario.result.needs, units: scenario.result.units, assignments: scenario.result.optimised.assignments }, Date.parse(scenario.asOf), localInstant, localDay);
}

export interface ApplyResult {
	people: number;
	shifts: number;
	grids: number;
}

/**
 * Applies a scenario in `tx` (the caller's scope; the database function writes under a system
 * scope): staff and shifts, then the caller runs the gap rules again. Refusals are ScenarioErrors.
 */
export async function applyScenario(tx: Queryable, id: number, userId: number, now: number): Promise<ApplyResult> {
	const scenario = (await getScenario(tx, id)) as Scenario | null;
	if (!scenario) throw notFound(id);
	if (scenario.appliedAt) throw new ScenarioError(409, `方案“${scenario.name}”已于 ${localTime(Date.parse(scenario.appliedAt))} 执行过`, `Scenario "${scenario.name}" was applied already (${localTime(Date.parse(scenario.appliedAt))})`);
	const rows = scenarioDispatch(scenario);
	if (!rows.length) throw new ScenarioError(409, '方案没有派出任何人，无需执行', 'The scenario sends no one; there is nothing to apply');
	try {
		const [result] = await tx.query<ApplyResult>('SELECT people, shifts, grids FROM apply_plan($1, $2, $3, $4::text::jsonb)', [
			id,
			userId,
			new Date(now).toISOString(),
			JSON.stringify(rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt).toISOString(), endsAt: new Date(r.endsAt).toISOString() })))
		]);
		return result;
	} catch (error) {
		const message = (error as Error).message ?? '';
		if (message.includes('plan_superseded')) {
			throw new ScenarioError(409, `此方案计算之后，已有方案 ${message.split(':').pop()} 被执行，缺口已变化：请重新计算后再执行`, `Another plan (${message.split(':').pop()}) was applied after this one was made, so the gaps have changed: make the plan again, then apply it`);
		}
		if (message.includes('plan_shift_ended')) throw new ScenarioError(409, '方案中有班次已经结束：请重新计算后再执行', 'A shift in this plan is over already: make the plan again, then apply it');
		if (message.includes('plan_already_applied')) throw new ScenarioError(409, '方案已执行过', 'The scenario was applied already');
		if (message.includes('plan_not_found')) throw notFound(id);
		if (message.includes('plan_rows_mismatch')) throw new ScenarioError(409, '派遣明细与保存的方案不符：请重新计算', 'The dispatch does not match the saved plan: make the plan again');
		if (message.includes('plan_unknown_')) throw new ScenarioError(409, `方案引用的网格或卡口已不存在（${message.split(':').pop()}）`, `The plan names a grid or checkpoint that no longer exists (${message.split(':').pop()})`);
		throw error;
	}
}

const HEADERS = {
	'zh-CN': { unit: '队伍', grid: '网格', work: '任务', checkpoint: '卡口', from: '开始', to: '结束', people: '人数', km: '路程 km' },
	en: { unit: 'Unit', grid: 'Grid', work: 'Work', checkpoint: 'Checkpoint', from: 'From', to: 'To', people: 'People', km: 'Travel km' }
};
const localTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Text a spreadsheet would read as a formula (=, +, -, @ first) is kept as text. */
const asText = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function dispatchTable(scenario: Scenario, lang: 'zh-CN' | 'en'): (string | number)[][] {
	const h = HEADERS[lang];
	return [
		[h.unit, h.grid, h.work, h.checkpoint, h.from, h.to, h.people, h.km],
		...scenarioDispatch(scenario).map((r) => [asText(r.unit), r.grid, SKILL_LABELS[r.duty][lang], r.checkpoint ?? '', localTime(r.startsAt), localTime(r.endsAt), r.people, Math.round(r.km * 10) / 10])
	];
}

/** The dispatch as CSV: UTF-8 with a BOM (Excel and WPS open it right), CRLF lines. */
export function scenarioCsv(scenario: Scenario, lang: 'zh-CN' | 'en'): string {
	const cell = (v: string | number) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
	return '\ufeff' + dispatchTable(scenario, lang).map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The scenario as a workbook: a summary, the dispatch, each grid's share with its reason, and the needs. */
export async function scenarioXlsx(scenario: Scenario, lang: 'zh-CN' | 'en'): Promise<ArrayBuffer> {
	const en = lang === 'en';
	const L = (zh: string, e: string) => (en ? e : zh);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Gridwatch';
	workbook.created = new Date();
	const f = scenario.figures;
	const about = workbook.addWorksheet(L('概况', 'Summary'));
	about.addRow([asText(`${L('增援方案', 'Reinforcement plan')}: ${scenario.name}`)]).font = { bold: true, size: 14 };
	const lines: [string, string | number][] = [
		[L('计算时间', 'Made at'), localTime(Date.parse(scenario.asOf))],
		[L('计算人', 'Made by'), asText(scenario.createdBy ?? '')],
		[L('时段', 'Horizon'), scenario.horizon === 'shift' ? L('当前及下一班', 'This and the next shift') : L('未来 24 小时', 'The next 24 h')],
		[L('目标', 'Objective'), scenario.objective === 'fairest' ? L('最公平', 'Fairest') : L('加权缺口最少', 'Least weighted unmet need')],
		[L('每网格最多', 'Most per grid'), scenario.request.options.maxPerGrid ?? L('不限', 'no limit')],
		[L('同一队伍不拆分', 'Units kept together'), scenario.request.options.keepUnitsTogether ? L('是', 'yes') : L('否', 'no')],
		[L('工作量标准：每人每天排查', 'Norm: screenings per worker a day'), scenario.request.norms.screeningsPerWorker],
		[L('工作量标准：每人每天服务户数', 'Norm: households per worker a day'), scenario.request.norms.householdsPerWorker],
		[L('人员池', 'People in the pool'), f.poolPeople],
		[L('需要', 'People wanted'), f.wanted],
		[L('派出', 'People sent'), f.sent],
		[L('未满足（优化）', 'Unmet (optimised)'), f.unmetPeople],
		[L('加权未满足（优化）', 'Weighted unmet (optimised)'), f.weightedUnmet],
		[L('人·公里（优化）', 'Person-km (optimised)'), f.km],
		[L('未满足（基线）', 'Unmet (greedy baseline)'), f.greedy.unmetPeople],
		[L('加权未满足（基线）', 'Weighted unmet (greedy baseline)'), f.greedy.weightedUnmet],
		[L('人·公里（基线）', 'Person-km (greedy baseline)'), f.greedy.km],
		[L('执行', 'Applied'), scenario.appliedAt ? `${localTime(Date.parse(scenario.appliedAt))} ${scenario.appliedBy ?? ''}` : L('未执行', 'not applied')]
	];
	for (const line of lines) about.addRow(line);
	about.getColumn(1).width = 34;
	about.getColumn(2).width = 28;

	const table = (name: string, rows: (string | number)[][], widths: number[]) => {
		const sheet = workbook.addWorksheet(name);
		sheet.addRow(rows[0]).font = { bold: true };
		for (const row of rows.slice(1)) sheet.addRow(row);
		widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
		sheet.views = [{ state: 'frozen', ySplit: 1 }];
		sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: rows[0].length } };
	};
	table(L('派遣', 'Dispatch'), dispatchTable(scenario, lang), [18, 10, 14, 14, 18, 18, 8, 10]);
	table(
		L('网格', 'Grids'),
		[[L('网格', 'Grid'), L('社区', 'Community'), L('需要', 'Wanted'), L('优化', 'Optimised'), L('基线', 'Baseline'), L('说明', 'Why')], ...scenario.result.grids.map((g) => [g.code, g.communityCode, g.wanted, g.optimised, g.greedy, g.reason])],
		[10, 14, 8, 10, 10, 70]
	);
	table(
		L('需求', 'Needs'),
		[
			[L('网格', 'Grid'), L('任务', 'Work'), L('卡口', 'Checkpoint'), L('班次', 'Shift'), L('需要', 'Wanted'), L('权重', 'Weight'), L('仍缺（优化）', 'Still wanted (optimised)')],
			...scenario.result.needs.map((n) => [n.gridCode, SKILL_LABELS[n.skill][lang], n.checkpointCode ?? '', n.shift ?? '', n.people, n.weight, scenario.result.optimised.unmet[n.id] ?? 0])
		],
		[10, 14, 14, 14, 8, 8, 14]
	);
	const buffer = await workbook.xlsx.writeBuffer();
	return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer).slice().buffer;
}
