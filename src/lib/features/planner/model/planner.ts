/**
 * The reinforcement planner's model: who goes where. Pure functions — the linear programme is
 * written here (CPLEX LP text) and solved by HiGHS in src/lib/features/planner/server; the greedy
 * allocator here is the baseline it is measured against.
 *
 * People come in units (a unit: so many people from one organisation, at one staging place, with
 * the skills they have). A need is a number of people wanted at one place for one kind of work:
 * a checkpoint shift short of staff, or a grid's screening or observation workload over the norms.
 * Allocation is in whole people; each person is used at most once.
 */
import { distance } from '@turf/distance';
import { both, LANGS, words, type Bilingual, type Lang, type Words } from '../../../core/i18n';

export type Skill = 'gate' | 'screening' | 'observation';
export const SKILLS: Skill[] = ['gate', 'screening', 'observation'];
export const SKILL_LABELS: Record<Skill, Bilingual> = {
	gate: both('planner_skill_gate'),
	screening: both('planner_skill_screening'),
	observation: both('planner_skill_observation')
};

export interface Need {
	id: string;
	gridCode: string;
	/** Checkpoint code and shift for gate duty; null for grid workload. */
	checkpointCode: string | null;
	shift: string | null;
	skill: Skill;
	/** People wanted. */
	people: number;
	/** Severity weight of one person missing here (urgent 3, important 2, routine 1). */
	weight: number;
	position: [number, number];
}

export interface Unit {
	id: string;
	name: string;
	people: number;
	/** Empty: can do any work. */
	skills: Skill[];
	staging: [number, number];
}

export interface PlanOptions {
	/** Most people sent to one grid (all needs of the grid together); null: no limit. */
	maxPerGrid: number | null;
	/** A unit's people all go to one grid. */
	keepUnitsTogether: boolean;
	/** weighted: least severity-weighted unmet need, then least travel; fairest: the smallest worst shortfall ratio of any grid, then least travel. */
	objective: 'weighted' | 'fairest';
}

export interface Assignment {
	unitId: string;
	needId: string;
	people: number;
	km: number;
}

export interface PlanResult {
	assignments: Assignment[];
	/** People still wanted per need after the plan. */
	unmet: Record<string, number>;
	unmetPeople: number;
	weightedUnmet: number;
	/** Person-kilometres travelled (one way). */
	km: number;
	/** Largest unmet ÷ wanted over the grids. */
	worstGridShortfall: number;
}

/** A text made in each language from that language's words (for texts built from other texts). */
export function inBoth(say: (w: Words, lang: Lang) => string): Bilingual {
	const [zh, en] = LANGS.map((lang) => say(words(lang), lang));
	return { 'zh-CN': zh, en };
}

/** A field of a request refused ("字段 pool[1].people 无效：…"), in both languages. */
export function badField(field: string, reason: Bilingual): Bilingual {
	return inBoth((w, lang) => w.core_bad_field({ field, reason: reason[lang] }));
}

/** A plan refused, saying why in both languages (the route answers in the user's). */
export class PlanInputError extends Error {
	readonly zh: string;
	readonly en: string;
	constructor(readonly text: Bilingual) {
		super(`${text['zh-CN']} / ${text.en}`);
		this.zh = text['zh-CN'];
		this.en = text.en;
	}
}

/** Great-circle distance in km, by turf (mean earth radius 6,371.0088 km); the server uses PostGIS geography distances, tests and the greedy fallback this. */
export const haversineKm = (a: [number, number], b: [number, number]): number =>
	distance(a, b, { units: 'kilometers' });

export const canDo = (unit: Unit, need: Need) =>
	unit.skills.length === 0 || unit.skills.includes(need.skill);

/** Checks the inputs; refuses what cannot be planned, saying why. */
export function validatePlan(needs: Need[], units: Unit[], options: PlanOptions): void {
	if (units.length === 0 || units.every((u) => u.people <= 0))
		throw new PlanInputError(both('planner_pool_empty'));
	for (const u of units) {
		if (!Number.isInteger(u.people) || u.people < 0)
			throw new PlanInputError(both('planner_unit_people_invalid', { name: u.name }));
	}
	if (needs.every((n) => n.people <= 0)) throw new PlanInputError(both('planner_no_need'));
	if (
		options.maxPerGrid !== null &&
		(!Number.isInteger(options.maxPerGrid) || options.maxPerGrid < 1)
	) {
		throw new PlanInputError(both('planner_max_per_grid_invalid'));
	}
	if (!needs.some((n) => n.people > 0 && units.some((u) => u.people > 0 && canDo(u, n)))) {
		throw new PlanInputError(both('planner_no_skill_match'));
	}
}

/** Result figures for a set of assignments. */
export function evaluate(needs: Need[], assignments: Assignment[]): PlanResult {
	const got = new Map<string, number>();
	for (const a of assignments) got.set(a.needId, (got.get(a.needId) ?? 0) + a.people);
	const unmet: Record<string, number> = {};
	let unmetPeople = 0;
	let weightedUnmet = 0;
	const perGrid = new Map<string, { wanted: number; unmet: number }>();
	for (const n of needs) {
		const left = Math.max(0, n.people - (got.get(n.id) ?? 0));
		unmet[n.id] = left;
		unmetPeople += left;
		weightedUnmet += left * n.weight;
		const g = perGrid.get(n.gridCode) ?? { wanted: 0, unmet: 0 };
		g.wanted += n.people;
		g.unmet += left;
		perGrid.set(n.gridCode, g);
	}
	let worst = 0;
	for (const g of perGrid.values()) if (g.wanted > 0) worst = Math.max(worst, g.unmet / g.wanted);
	const km = assignments.reduce((s, a) => s + a.people * a.km, 0);
	return {
		assignments,
		unmet,
		unmetPeople,
		weightedUnmet,
		km: Math.round(km * 10) / 10,
		worstGridShortfall: worst
	};
}

/**
 * The baseline: needs in order of weight (then size), each filled from the nearest units that can
 * do the work and have people left — what a dispatcher does by hand.
 */
export function greedyPlan(
	needs: Need[],
	units: Unit[],
	options: PlanOptions,
	distance: (u: Unit, n: Need) => number = (u, n) => haversineKm(u.staging, n.position),
	/** Only each need's nearest units, as the solver is given (large cases); null: every unit. */
	nearest: number | null = null
): PlanResult {
	validatePlan(needs, units, options);
	const left = units.map((u) => u.people);
	const perGrid = new Map<string, number>();
	const unitGrid = new Map<number, string>();
	const assignments: Assignment[] = [];
	const byNeed = new Map<number, Arc[]>();
	for (const arc of candidateArcs(needs, units, distance, nearest))
		(byNeed.get(arc.need) ?? byNeed.set(arc.need, []).get(arc.need)!).push(arc);
	const order = needs
		.map((n, j) => ({ n, j }))
		.filter(({ n }) => n.people > 0)
		.sort(
			(a, b) => b.n.weight - a.n.weight || b.n.people - a.n.people || a.n.id.localeCompare(b.n.id)
		);
	for (const { n: need, j } of order) {
		let wanted = need.people;
		const candidates = (byNeed.get(j) ?? []).sort(
			(a, b) => a.km - b.km || units[a.unit].id.localeCompare(units[b.unit].id)
		);
		for (const { unit: i, km } of candidates) {
			if (wanted === 0) break;
			if (options.keepUnitsTogether && unitGrid.has(i) && unitGrid.get(i) !== need.gridCode)
				continue;
			const room =
				options.maxPerGrid === null
					? Infinity
					: options.maxPerGrid - (perGrid.get(need.gridCode) ?? 0);
			const take = Math.min(wanted, left[i], room);
			if (take <= 0) continue;
			assignments.push({ unitId: units[i].id, needId: need.id, people: take, km });
			left[i] -= take;
			perGrid.set(need.gridCode, (perGrid.get(need.gridCode) ?? 0) + take);
			unitGrid.set(i, need.gridCode);
			wanted -= take;
		}
	}
	return evaluate(needs, assignments);
}

/** Which unit may serve which need: all pairs, or each need's nearest few units (large cases). */
export interface Arc {
	unit: number;
	need: number;
	km: number;
}

export function candidateArcs(
	needs: Need[],
	units: Unit[],
	distance: (u: Unit, n: Need) => number,
	nearest: number | null
): Arc[] {
	const arcs: Arc[] = [];
	const usable = units.map((u, i) => ({ u, i })).filter(({ u }) => u.people > 0);
	needs.forEach((need, j) => {
		if (need.people <= 0) return;
		if (nearest === null) {
			for (const { u, i } of usable)
				if (canDo(u, need)) arcs.push({ unit: i, need: j, km: distance(u, need) });
			return;
		}
		// The nearest few by insertion into a short sorted list (no full sort per need).
		const best: Arc[] = [];
		for (const { u, i } of usable) {
			if (!canDo(u, need)) continue;
			const km = distance(u, need);
			if (best.length === nearest && km >= best[best.length - 1].km) continue;
			let at = best.length;
			while (at > 0 && best[at - 1].km > km) at--;
			best.splice(at, 0, { unit: i, need: j, km });
			if (best.length > nearest) best.pop();
		}
		for (const arc of best) arcs.push(arc);
	});
	return arcs;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(6));

/** What one solve minimises: the worst grid's shortfall ratio, the weighted unmet need, or travel. */
export type Stage = 'fair' | 'unmet' | 'km';

/**
 * The programme, in CPLEX LP format. Solved in stages, each keeping the optimum of the ones
 * before (`keep`): "weighted" minimises the severity-weighted unmet need, then person-km;
 * "fairest" minimises the worst grid's shortfall ratio, then the weighted unmet need (a short
 * pool still goes to work when some grid must be left without), then person-km. Variables: x_a
 * people on arc a; s_j people still missing at need j; y_u_g unit u goes to grid g (keep-together
 * only); z the worst ratio (fairest only).
 */
export function buildProgramme(
	needs: Need[],
	units: Unit[],
	arcs: Arc[],
	options: PlanOptions,
	stage: Stage,
	keep: { fair?: number; unmet?: number } = {}
): string {
	const lines: string[] = [];
	const grids = [...new Set(needs.map((n) => n.gridCode))];
	const gridIndex = new Map(grids.map((g, k) => [g, k]));
	const byNeed = new Map<number, number[]>();
	const byUnit = new Map<number, number[]>();
	const byGrid = new Map<number, number[]>();
	arcs.forEach((a, k) => {
		(byNeed.get(a.need) ?? byNeed.set(a.need, []).get(a.need)!).push(k);
		(byUnit.get(a.unit) ?? byUnit.set(a.unit, []).get(a.unit)!).push(k);
		const g = gridIndex.get(needs[a.need].gridCode)!;
		(byGrid.get(g) ?? byGrid.set(g, []).get(g)!).push(k);
	});
	const unmetTerms = needs
		.map((n, j) => (n.people > 0 ? `${num(n.weight)} s${j}` : ''))
		.filter(Boolean);
	const kmTerms = arcs.map((a, k) => `${num(Math.max(a.km, 0))} x${k}`);
	const objective = stage === 'fair' ? ['z'] : stage === 'unmet' ? unmetTerms : kmTerms;
	lines.push('Minimize', ` obj: ${objective.join(' + ') || '0 x0'}`, 'Subject To');
	// Later stages keep the earlier optima (with a hair of tolerance).
	if (keep.fair !== undefined && options.objective === 'fairest')
		lines.push(` keepfair: z <= ${num(keep.fair + 1e-6)}`);
	if (keep.unmet !== undefined && unmetTerms.length)
		lines.push(` keepunmet: ${unmetTerms.join(' + ')} <= ${num(keep.unmet + 1e-6)}`);
	needs.forEach((n, j) => {
		if (n.people <= 0) return;
		const xs = (byNeed.get(j) ?? []).map((k) => `x${k}`);
		lines.push(` need${j}: ${[...xs, `s${j}`].join(' + ')} = ${n.people}`);
	});
	units.forEach((u, i) => {
		const xs = (byUnit.get(i) ?? []).map((k) => `x${k}`);
		if (xs.length) lines.push(` pool${i}: ${xs.join(' + ')} <= ${u.people}`);
	});
	if (options.maxPerGrid !== null) {
		for (const [g, ks] of byGrid)
			lines.push(` grid${g}: ${ks.map((k) => `x${k}`).join(' + ')} <= ${options.maxPerGrid}`);
	}
	if (options.objective === 'fairest') {
		// z ≥ (unmet in grid) ÷ (wanted in grid)
		grids.forEach((g, gi) => {
			const members = needs
				.map((n, j) => ({ n, j }))
				.filter(({ n }) => n.gridCode === g && n.people > 0);
			const wanted = members.reduce((s, { n }) => s + n.people, 0);
			if (wanted > 0)
				lines.push(` fair${gi}: ${members.map(({ j }) => `s${j}`).join(' + ')} - ${wanted} z <= 0`);
		});
	}
	const together: string[] = [];
	if (options.keepUnitsTogether) {
		const pairs = new Map<string, number[]>();
		arcs.forEach((a, k) => {
			const key = `${a.unit}_${gridIndex.get(needs[a.need].gridCode)}`;
			(pairs.get(key) ?? pairs.set(key, []).get(key)!).push(k);
		});
		units.forEach((u, i) => {
			const ys = [...pairs.keys()].filter((key) => key.startsWith(`${i}_`));
			if (ys.length) lines.push(` one${i}: ${ys.map((key) => `y${key}`).join(' + ')} <= 1`);
		});
		for (const [key, ks] of pairs) {
			const unit = units[Number(key.split('_')[0])];
			lines.push(
				` link${key}: ${ks.map((k) => `x${k}`).join(' + ')} - ${unit.people} y${key} <= 0`
			);
			together.push(`y${key}`);
		}
	}
	lines.push('Bounds');
	needs.forEach((n, j) => n.people > 0 && lines.push(` 0 <= s${j} <= ${n.people}`));
	if (options.objective === 'fairest') lines.push(' 0 <= z <= 1');
	// (Loops, not spreads: a city-sized programme has more names than a call's arguments may.)
	if (together.length) {
		lines.push('Binary');
		for (const y of together) lines.push(` ${y}`);
	}
	if (arcs.length) {
		lines.push('General');
		for (let k = 0; k < arcs.length; k++) lines.push(` x${k}`);
	}
	lines.push('End');
	return lines.join('\n');
}

/** Workload norms: how much one extra worker takes on in a day. Settings, with these defaults. */
export interface PlannerNorms {
	/** Returnee screenings one worker completes in a day. */
	screeningsPerWorker: number;
	/** Observed households one worker serves in a day (health visits, garbage, deliveries). */
	householdsPerWorker: number;
}
export const DEFAULT_NORMS: PlannerNorms = { screeningsPerWorker: 30, householdsPerWorker: 10 };
export const NORM_KEYS = ['screeningsPerWorker', 'householdsPerWorker'] as const;

/** Norms from settings or a request: each a positive number up to 1000; missing ones keep `base`. */
export function parseNorms(
	input: unknown,
	base: PlannerNorms = DEFAULT_NORMS
): { norms: PlannerNorms } | { error: { field: string } & Bilingual } {
	const norms = { ...base };
	if (input === null || input === undefined) return { norms };
	if (typeof input !== 'object' || Array.isArray(input))
		return { error: { field: 'norms', ...both('core_expected_object') } };
	for (const key of NORM_KEYS) {
		const v = (input as Record<string, unknown>)[key];
		if (v === undefined || v === '') continue;
		if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0) || v > 1000)
			return { error: { field: key, ...both('planner_norm_out_of_range') } };
		norms[key] = v;
	}
	return { norms };
}

export const SEVERITY_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1, info: 0 };

/** An open gap item, as the planner reads it. */
export interface GapForPlan {
	rule: string;
	severity: string;
	count: number;
	gridCode: string | null;
	detail: Record<string, unknown>;
}

/**
 * Needs from the open gaps: each short checkpoint shift wants its missing people at the post (gate
 * duty); a grid's overdue screenings want ⌈returnees ÷ norm⌉ screeners; its unvisited households and
 * overdue services want ⌈households ÷ norm⌉ workers for observation services. `positions` gives
 * each checkpoint (by code) and grid (by code) a point; `shifts` limits checkpoint needs to the
 * horizon (null: every shift the gaps list).
 */
export function needsFromGaps(
	gaps: GapForPlan[],
	positions: { checkpoints: Map<string, [number, number]>; grids: Map<string, [number, number]> },
	norms: PlannerNorms = DEFAULT_NORMS,
	shifts: ((day: string, slot: number) => boolean) | null = null
): Need[] {
	const needs: Need[] = [];
	const work = new Map<
		string,
		{ screening: number; households: number; weight: { screening: number; observation: number } }
	>();
	for (const gap of gaps) {
		const weight = SEVERITY_WEIGHT[gap.severity] ?? 1;
		if (weight === 0 || !gap.gridCode) continue;
		if (gap.rule === 'checkpoint_short') {
			const code = String(gap.detail.checkpoint);
			const day = String(gap.detail.day);
			const slot = Number(gap.detail.slot);
			const at = positions.checkpoints.get(code);
			if (!at || (shifts && !shifts(day, slot))) continue;
			needs.push({
				id: `checkpoint:${code}:${day}:${slot}`,
				gridCode: gap.gridCode,
				checkpointCode: code,
				shift: `${day}:${slot}`,
				skill: 'gate',
				people: gap.count,
				weight,
				position: at
			});
			continue;
		}
		const w = work.get(gap.gridCode) ?? {
			screening: 0,
			households: 0,
			weight: { screening: 0, observation: 0 }
		};
		if (gap.rule === 'returnee_unscreened') {
			w.screening += gap.count;
			w.weight.screening = Math.max(w.weight.screening, weight);
		} else if (gap.rule === 'health_check_missing' || gap.rule === 'service_overdue') {
			w.households += gap.count;
			w.weight.observation = Math.max(w.weight.observation, weight);
		} else continue;
		work.set(gap.gridCode, w);
	}
	for (const [grid, w] of [...work].sort(([a], [b]) => a.localeCompare(b))) {
		const at = positions.grids.get(grid);
		if (!at) continue;
		if (w.screening > 0)
			needs.push({
				id: `grid:${grid}:screening`,
				gridCode: grid,
				checkpointCode: null,
				shift: null,
				skill: 'screening',
				people: Math.ceil(w.screening / norms.screeningsPerWorker),
				weight: w.weight.screening,
				position: at
			});
		if (w.households > 0)
			needs.push({
				id: `grid:${grid}:observation`,
				gridCode: grid,
				checkpointCode: null,
				shift: null,
				skill: 'observation',
				people: Math.ceil(w.households / norms.householdsPerWorker),
				weight: w.weight.observation,
				position: at
			});
	}
	return needs;
}

/** People already on the way: rostered by an applied plan, not checked in, their shift not over. */
export interface Rostered {
	gridCode: string;
	checkpointCode: string | null;
	duty: Skill;
	startsAt: number;
	n: number;
}

/**
 * Needs less the reinforcements already rostered for them: a running checkpoint shift's gap counts
 * only who has checked in, and grid work keeps its backlog until it is done, so without this every
 * plan after an applied one would ask for the same people again. (A later shift's gap already counts
 * who is rostered.) `shiftStart` turns a need's `day:slot` into its start.
 */
export function lessRostered(
	needs: Need[],
	rostered: Rostered[],
	now: number,
	shiftStart: (shift: string) => number
): Need[] {
	return needs
		.map((need) => {
			let coming = 0;
			if (need.skill === 'gate' && need.shift) {
				const start = shiftStart(need.shift);
				if (start <= now)
					coming = rostered
						.filter(
							(r) =>
								r.duty === 'gate' &&
								r.checkpointCode === need.checkpointCode &&
								r.startsAt === start
						)
						.reduce((s, r) => s + r.n, 0);
			} else if (!need.checkpointCode) {
				coming = rostered
					.filter(
						(r) =>
							r.duty === need.skill && r.gridCode === need.gridCode && r.checkpointCode === null
					)
					.reduce((s, r) => s + r.n, 0);
			}
			return { ...need, people: Math.max(0, need.people - coming) };
		})
		.filter((need) => need.people > 0);
}

/** A kept plan's figures, for lists and comparisons. */
export interface ScenarioFigures {
	poolPeople: number;
	sent: number;
	wanted: number;
	unmetPeople: number;
	weightedUnmet: number;
	km: number;
	worstGridShortfall: number;
	/** Grids the plan sends anyone to. */
	gridsReached: number;
	greedy: { unmetPeople: number; weightedUnmet: number; km: number };
}

/** One line of a dispatch: so many people of a unit, to one grid (and checkpoint), for one period. */
export interface DispatchRow {
	unit: string;
	duty: Skill;
	grid: string;
	checkpoint: string | null;
	startsAt: number;
	endsAt: number;
	people: number;
	km: number;
}

/**
 * The plan as a dispatch: gate duty for its checkpoint shift (`day:slot`, 8 hours from 06:00,
 * 14:00 or 22:00 local); grid work for a day shift (06:00–14:00): today's while at least 4 hours of
 * it remain at `asOf`, else the next day's.
 * `localInstant(day, minutes)` turns a local day and minute into an instant.
 */
export function dispatchRows(
	plan: { needs: Need[]; units: Unit[]; assignments: Assignment[] },
	asOf: number,
	localInstant: (day: string, minutes: number) => number,
	localDay: (ms: number) => string
): DispatchRow[] {
	const HOUR = 3_600_000;
	const needs = new Map(plan.needs.map((n) => [n.id, n]));
	const units = new Map(plan.units.map((u) => [u.id, u]));
	let dayShift = localInstant(localDay(asOf), 6 * 60);
	if (dayShift + 8 * HOUR - asOf < 4 * HOUR)
		dayShift = localInstant(localDay(asOf + 24 * HOUR), 6 * 60);
	return plan.assignments
		.filter((a) => a.people > 0)
		.map((a) => {
			const need = needs.get(a.needId);
			if (!need) throw new PlanInputError(both('planner_plan_lacks_need', { id: a.needId }));
			let startsAt = dayShift;
			if (need.shift) {
				const [day, slot] = need.shift.split(':');
				startsAt = localInstant(day, (6 + 8 * Number(slot)) * 60);
			}
			return {
				unit: units.get(a.unitId)?.name ?? a.unitId,
				duty: need.skill,
				grid: need.gridCode,
				checkpoint: need.checkpointCode,
				startsAt,
				endsAt: startsAt + 8 * HOUR,
				people: a.people,
				km: a.km
			};
		});
}
