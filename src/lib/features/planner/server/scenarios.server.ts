/**
 * Scenarios: every plan made is kept (named, listed, compared, exported, deleted while a draft);
 * applying one writes its people as staff and their duty as shifts (apply_plan in 0010_plans.sql),
 * runs the gap rules again and tells the maps and the wall.
 */
import { beijingDateTime, beijingDay, beijingInstant } from '../../../core/time';
import {
	badField,
	dispatchRows,
	parseNorms,
	PlanInputError,
	DEFAULT_NORMS,
	type DispatchRow,
	type PlannerNorms,
	type ScenarioFigures
} from '../model/planner';
import type { Queryable } from '../../../server/db/types';
import { readSetting, writeSetting } from '../../../server/settings';
import type {
	ApplyResult,
	PlanRequest,
	PlanResponse,
	Scenario,
	ScenarioSummary,
	Staleness
} from '../contract';
import { isPlainText } from '../../../domain/text';
import { both, words, type Bilingual } from '../../../core/i18n';

export const PLANNER_SETTINGS_KEY = 'planner';

/** The workload norms in the settings (administrators change them), or the defaults. */
export async function loadNorms(db: Queryable): Promise<PlannerNorms> {
	return readSetting(
		db,
		PLANNER_SETTINGS_KEY,
		(value) => {
			const parsed = parseNorms(value);
			return 'norms' in parsed ? parsed.norms : null;
		},
		DEFAULT_NORMS
	);
}

export async function saveNorms(db: Queryable, norms: PlannerNorms): Promise<void> {
	await writeSetting(db, PLANNER_SETTINGS_KEY, norms);
}

/** A refusal with an HTTP status: 404 not found, 409 the scenario's state forbids it. */
export class ScenarioError extends PlanInputError {
	constructor(
		readonly status: 404 | 409,
		text: Bilingual
	) {
		super(text);
	}
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
		greedy: {
			unmetPeople: result.greedy.unmetPeople,
			weightedUnmet: result.greedy.weightedUnmet,
			km: result.greedy.km
		}
	};
}

/** The number of the last plan applied in the caller's subdistrict (0: none yet). Read before the gaps a plan answers. */
export async function lastApplication(tx: Queryable): Promise<number> {
	const [{ seen }] = await tx.query<{ seen: string | number }>(
		'SELECT coalesce(max(apply_seq), 0) AS seen FROM plan_scenario'
	);
	return Number(seen);
}

/** Keeps a plan as a scenario (under the caller's scope); unnamed plans are numbered "方案 N". */
export async function saveScenario(
	tx: Queryable,
	input: {
		subdistrictId: number;
		userId: number | null;
		asOf: number;
		request: PlanRequest;
		result: PlanResponse;
		seenApplySeq: number;
	}
): Promise<ScenarioSummary> {
	let name = input.request.name;
	if (!name) {
		const [{ n }] = await tx.query<{ n: number }>(
			'SELECT count(*)::int + 1 AS n FROM plan_scenario WHERE subdistrict_id = $1',
			[input.subdistrictId]
		);
		// Kept in Chinese whatever the language of the request, as every name given so far.
		name = words('zh-CN').planner_scenario_numbered({ n });
	}
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO plan_scenario (subdistrict_id, name, created_by, as_of, request, result, figures, seen_apply_seq)
		 VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7::text::jsonb, $8) RETURNING id`,
		[
			input.subdistrictId,
			name,
			input.userId,
			new Date(input.asOf).toISOString(),
			JSON.stringify(input.request),
			JSON.stringify(input.result),
			JSON.stringify(figuresOf(input.result)),
			input.seenApplySeq
		]
	);
	return (await getScenario(tx, row.id, false, input.asOf))!;
}

// supersededBy: the first plan applied after this one read the gaps (apply_plan refuses on the same test);
// dispatch: what scenarioDispatch needs to find the first shift to end.
const COLUMNS = `p.id, p.name, u.username AS "createdBy", p.as_of AS "asOf", p.request, p.figures, p.applied_as_of AS "appliedAt", a.username AS "appliedBy",
	(SELECT l.name FROM plan_scenario l WHERE l.subdistrict_id = p.subdistrict_id AND l.apply_seq > p.seen_apply_seq ORDER BY l.apply_seq LIMIT 1) AS "supersededBy",
	jsonb_build_object('needs', p.result->'needs', 'assignments', p.result->'optimised'->'assignments') AS dispatch`;
type Row = {
	id: number;
	name: string;
	createdBy: string | null;
	asOf: Date | string;
	request: PlanRequest;
	figures: ScenarioFigures;
	appliedAt: Date | string | null;
	appliedBy: string | null;
	supersededBy: string | null;
	dispatch: { needs: PlanResponse['needs']; assignments: PlanResponse['optimised']['assignments'] };
};
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The end of the scenario's first shift to end, as applying it would roster (null: it sends no one). */
function firstShiftEnd(row: Row): number | null {
	const rows = dispatchRows(
		{ needs: row.dispatch.needs ?? [], units: [], assignments: row.dispatch.assignments ?? [] },
		Date.parse(iso(row.asOf)!),
		beijingInstant,
		beijingDay
	);
	return rows.length ? Math.min(...rows.map((r) => r.endsAt)) : null;
}

/** Why a draft cannot be applied at `now` (null: it can); `now` null: only whether it was superseded. */
function stalenessOf(row: Row, now: number | null): Staleness | null {
	if (row.appliedAt) return null;
	if (row.supersededBy) return { reason: 'superseded', by: row.supersededBy };
	const ends = now === null ? null : firstShiftEnd(row);
	return ends !== null && ends <= now!
		? { reason: 'shift_ended', endedAt: new Date(ends).toISOString() }
		: null;
}

function summary(row: Row, now: number | null): ScenarioSummary {
	return {
		id: row.id,
		name: row.name,
		createdBy: row.createdBy,
		asOf: iso(row.asOf)!,
		horizon: row.request.horizon,
		objective: row.request.options.objective,
		figures: row.figures,
		appliedAt: iso(row.appliedAt),
		appliedBy: row.appliedBy,
		stale: stalenessOf(row, now)
	};
}

/** The scenarios of the caller's subdistrict, newest first; `now` (the clock) tells which drafts are out of date. */
export async function listScenarios(
	tx: Queryable,
	now: number | null = null,
	limit = 50
): Promise<ScenarioSummary[]> {
	const rows = await tx.query<Row>(
		`SELECT ${COLUMNS} FROM plan_scenario p LEFT JOIN app_user u ON u.id = p.created_by LEFT JOIN app_user a ON a.id = p.applied_by
		 ORDER BY p.created_at DESC, p.id DESC LIMIT $1`,
		[limit]
	);
	return rows.map((row) => summary(row, now));
}

/** A scenario whole (`whole`: with its request and result) or as listed; null: none with that id. */
export async function getScenario(
	tx: Queryable,
	id: number,
	whole?: true,
	now?: number | null
): Promise<Scenario | null>;
export async function getScenario(
	tx: Queryable,
	id: number,
	whole: false,
	now?: number | null
): Promise<ScenarioSummary | null>;
export async function getScenario(
	tx: Queryable,
	id: number,
	whole = true,
	now: number | null = null
): Promise<Scenario | ScenarioSummary | null> {
	const [row] = await tx.query<Row & { result?: PlanResponse }>(
		`SELECT ${COLUMNS}${whole ? ', p.result' : ''} FROM plan_scenario p LEFT JOIN app_user u ON u.id = p.created_by LEFT JOIN app_user a ON a.id = p.applied_by WHERE p.id = $1`,
		[id]
	);
	if (!row) return null;
	return whole
		? { ...summary(row, now), request: row.request, result: row.result! }
		: summary(row, now);
}

const notFound = (id: number) => new ScenarioError(404, both('planner_no_scenario', { id }));

export async function renameScenario(tx: Queryable, id: number, name: string): Promise<void> {
	const trimmed = name.trim();
	if (!trimmed || trimmed.length > 80 || !isPlainText(trimmed))
		throw new PlanInputError(badField('name', both('planner_expected_name_length')));
	const rows = await tx.query('UPDATE plan_scenario SET name = $2 WHERE id = $1 RETURNING id', [
		id,
		trimmed
	]);
	if (!rows.length) throw notFound(id);
}

/** Deletes a draft; an applied scenario stays (its shifts name it). */
export async function deleteScenario(tx: Queryable, id: number): Promise<void> {
	// One statement: an application committed meanwhile leaves the row in place.
	const deleted = await tx.query(
		'DELETE FROM plan_scenario WHERE id = $1 AND applied_at IS NULL RETURNING id',
		[id]
	);
	if (deleted.length) return;
	const [row] = await tx.query('SELECT 1 FROM plan_scenario WHERE id = $1', [id]);
	if (!row) throw notFound(id);
	throw new ScenarioError(409, both('planner_delete_applied'));
}

/** The scenario's dispatch: who goes where, for which period. */
export function scenarioDispatch(scenario: Scenario): DispatchRow[] {
	return dispatchRows(
		{
			needs: scenario.result.needs,
			units: scenario.result.units,
			assignments: scenario.result.optimised.assignments
		},
		Date.parse(scenario.asOf),
		beijingInstant,
		beijingDay
	);
}

/**
 * Applies a scenario in `tx` (the caller's scope; the database function writes under a system
 * scope): staff and shifts, then the caller runs the gap rules again. Refusals are ScenarioErrors.
 */
export async function applyScenario(
	tx: Queryable,
	id: number,
	userId: number,
	now: number
): Promise<ApplyResult> {
	const scenario = await getScenario(tx, id);
	if (!scenario) throw notFound(id);
	if (scenario.appliedAt)
		throw new ScenarioError(
			409,
			both('planner_applied_before', {
				name: scenario.name,
				time: localTime(Date.parse(scenario.appliedAt))
			})
		);
	const rows = scenarioDispatch(scenario);
	if (!rows.length) throw new ScenarioError(409, both('planner_sends_no_one'));
	try {
		const [result] = await tx.query<Pick<ApplyResult, 'people' | 'shifts' | 'grids'>>(
			'SELECT people, shifts, grids FROM apply_plan($1, $2, $3, $4::text::jsonb)',
			[
				id,
				userId,
				new Date(now).toISOString(),
				JSON.stringify(
					rows.map((r) => ({
						...r,
						startsAt: new Date(r.startsAt).toISOString(),
						endsAt: new Date(r.endsAt).toISOString()
					}))
				)
			]
		);
		const peopleWhere = (keep: (r: DispatchRow) => boolean) =>
			rows.filter(keep).reduce((s, r) => s + r.people, 0);
		return {
			...result,
			awaitingArrival: peopleWhere((r) => r.duty === 'gate' && r.startsAt <= now),
			gridWork: peopleWhere((r) => r.duty !== 'gate')
		};
	} catch (error) {
		const message = (error as Error).message ?? '';
		if (message.includes('plan_superseded')) {
			throw new ScenarioError(
				409,
				both('planner_superseded', { by: message.split(':').pop() ?? '' })
			);
		}
		if (message.includes('plan_shift_ended'))
			throw new ScenarioError(409, both('planner_shift_over'));
		if (message.includes('plan_already_applied'))
			throw new ScenarioError(409, both('planner_applied_already'));
		if (message.includes('plan_not_found')) throw notFound(id);
		if (message.includes('plan_rows_mismatch'))
			throw new ScenarioError(409, both('planner_dispatch_mismatch'));
		if (message.includes('plan_unknown_'))
			throw new ScenarioError(
				409,
				both('planner_place_gone', { what: message.split(':').pop() ?? '' })
			);
		throw error;
	}
}

const localTime = beijingDateTime;
