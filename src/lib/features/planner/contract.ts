/**
 * The planner's HTTP contract: the JSON each /api/plan route takes and answers, typed once here
 * and imported by the routes, the server code that builds the answers, and the /plan page.
 * Instants are ISO 8601 strings; [lng, lat] pairs are GeoJSON order.
 * Refusals are SvelteKit errors, `{ message, code }` (App.Error), the message in the user's language.
 *
 * Types only: this file is read by the browser and by the server alike.
 */
import type {
	Need,
	PlannerNorms,
	PlanOptions,
	PlanResult,
	ScenarioFigures,
	Skill,
	Unit
} from './model/planner';

/** shift: the shift running now and the next one; day: every shift of the next 24 h. */
export type Horizon = 'shift' | 'day';
export type Objective = PlanOptions['objective'];

/** One unit of the pool, as the planner enters it. */
export interface PoolEntry {
	name: string;
	people: number;
	/** A community code (its office: a point inside it) or 'subdistrict' (the subdistrict's). */
	staging: string;
	/** Empty: can do any work. */
	skills: Skill[];
}

/**
 * POST /api/plan, the body. Fields left out take defaults: horizon 'day', objective 'weighted',
 * no limit per grid, units may be split, norms from the settings. Field names in refusals are
 * 1-based (`pool[1].people`).
 */
export interface PlanRequestBody {
	/** The scenario's name; empty or null: numbered automatically ("方案 N"). */
	name?: string | null;
	pool: (Partial<PoolEntry> & Pick<PoolEntry, 'people' | 'staging'>)[];
	horizon?: Horizon;
	objective?: Objective;
	maxPerGrid?: number | null;
	keepUnitsTogether?: boolean;
	norms?: Partial<PlannerNorms>;
}

/** A plan request as checked and kept with its scenario (`Scenario.request`). */
export interface PlanRequest {
	/** The scenario's name; null: numbered automatically. */
	name: string | null;
	pool: PoolEntry[];
	horizon: Horizon;
	options: PlanOptions;
	norms: PlannerNorms;
}

/** The HiGHS solve: candidate assignments considered, and the time it took. */
export interface SolveStats {
	arcs: number;
	ms: number;
}

/** One grid's share: people wanted, sent by each allocator, and why it got what it got. */
export interface GridShare {
	code: string;
	communityCode: string;
	wanted: number;
	optimised: number;
	greedy: number;
	reason: string;
}

/** Both allocations for one request: the optimised plan (HiGHS) and the greedy baseline. */
export interface PlanResponse {
	needs: Need[];
	units: Unit[];
	optimised: PlanResult & { stats: SolveStats };
	greedy: PlanResult & { ms: number };
	grids: GridShare[];
}

/** A draft out of date: another plan was applied after it read the gaps, or one of its shifts is over. */
export type Staleness =
	{ reason: 'superseded'; by: string } | { reason: 'shift_ended'; endedAt: string };

/** A kept plan, as listed. */
export interface ScenarioSummary {
	id: number;
	name: string;
	createdBy: string | null;
	/** The application's clock when it was made (ISO). */
	asOf: string;
	horizon: Horizon;
	objective: Objective;
	figures: ScenarioFigures;
	/** The application's clock when it was applied (ISO), or null for a draft. */
	appliedAt: string | null;
	appliedBy: string | null;
	/** Why a draft can no longer be applied (null: it can, or it was applied); applying refuses the same cases. */
	stale: Staleness | null;
}

/** GET /api/plan/scenarios/ID: a kept plan whole, with the request that made it. */
export interface Scenario extends ScenarioSummary {
	request: PlanRequest;
	result: PlanResponse;
}

/** POST /api/plan, the answer: both allocations, kept as a scenario. */
export type PlanAnswer = PlanResponse & { scenario: ScenarioSummary };

/** GET /api/plan/scenarios: the subdistrict's last 50 plans, newest first. */
export interface ScenarioList {
	scenarios: ScenarioSummary[];
}

/** PATCH /api/plan/scenarios/ID, the body. */
export interface RenameScenarioBody {
	name: string;
}

/** PATCH and DELETE /api/plan/scenarios/ID, the answer. */
export interface Done {
	ok: true;
}

/** What applying a scenario wrote. */
export interface ApplyResult {
	people: number;
	shifts: number;
	grids: number;
	/**
	 * People rostered on a checkpoint shift already running: the gap rules count that shift's
	 * arrivals (check-ins), not its roster, so their gaps close only when they arrive.
	 */
	awaitingArrival: number;
	/** People sent for screening or household work: those gaps close when the work is recorded done. */
	gridWork: number;
}

/** POST /api/plan/scenarios/ID/apply, the answer: what was written and how many gaps the rules closed. */
export interface ApplyAnswer extends ApplyResult {
	gapsClosed: number;
}

/** GET /api/plan/scenarios/ID/export?format=… */
export type ExportFormat = 'xlsx' | 'csv';
