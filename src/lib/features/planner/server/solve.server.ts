/**
 * Solves the planner's programme (src/lib/features/planner/model/planner.ts) with HiGHS, compiled to WebAssembly
 * (the `highs` package), in stages (see buildProgramme): the least severity-weighted unmet need — for
 * "fairest" first the smallest worst-grid shortfall ratio, then that — and then, keeping
 * that, the least travel.
 */
import highsLoader from 'highs';
import {
	buildProgramme,
	candidateArcs,
	evaluate,
	haversineKm,
	PlanInputError,
	validatePlan,
	type Assignment,
	type Need,
	type PlanOptions,
	type PlanResult,
	type Stage,
	type Unit
} from '../model/planner';
import type { SolveStats } from '../contract';
import { both } from '../../../core/i18n';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loaded: Promise<Highs> | null = null;
/** A fresh solver for each solve: the WebAssembly instance cannot always be reused after a failure. */
const solver = () => (loaded ??= highsLoader());

function run(highs: Highs, programme: string) {
	try {
		return highs.solve(programme, { presolve: 'on', mip_rel_gap: 0, time_limit: 60 });
	} catch (error) {
		loaded = null;
		throw new PlanInputError(both('planner_solver_failed', { reason: (error as Error).message }));
	}
}

export async function solvePlan(
	needs: Need[],
	units: Unit[],
	options: PlanOptions,
	distance: (u: Unit, n: Need) => number = (u, n) => haversineKm(u.staging, n.position),
	/** Consider only each need's nearest units (large cases); null: every unit. */
	nearest: number | null = null
): Promise<PlanResult & { stats: SolveStats }> {
	validatePlan(needs, units, options);
	const started = performance.now();
	const arcs = candidateArcs(needs, units, distance, nearest);
	const highs = await solver();
	const stages: Stage[] =
		options.objective === 'fairest' ? ['fair', 'unmet', 'km'] : ['unmet', 'km'];
	const keep: { fair?: number; unmet?: number } = {};
	let last: ReturnType<typeof run> | null = null;
	for (const stage of stages) {
		last = run(highs, buildProgramme(needs, units, arcs, options, stage, keep));
		if (last.Status !== 'Optimal')
			throw new PlanInputError(both('planner_no_solution', { status: last.Status }));
		if (stage !== 'km') keep[stage] = last.ObjectiveValue;
	}
	const second = last!;
	const assignments: Assignment[] = [];
	arcs.forEach((arc, k) => {
		const column = second.Columns[`x${k}`] as { Primal: number } | undefined;
		const people = Math.round(column?.Primal ?? 0);
		if (people > 0)
			assignments.push({
				unitId: units[arc.unit].id,
				needId: needs[arc.need].id,
				people,
				km: arc.km
			});
	});
	return {
		...evaluate(needs, assignments),
		stats: { arcs: arcs.length, ms: Math.round(performance.now() - started) }
	};
}
