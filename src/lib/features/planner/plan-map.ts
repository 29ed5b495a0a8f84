/**
 * The planner's map: people still wanted per grid, before the plan or after it, in five classes.
 */
import { rampColors } from '../../domain/classify';
import type { PlanResponse } from './contract';

export type MapView = 'before' | 'after';
type Rgb = [number, number, number];

/** Class breaks in people: 0, 1–2, 3–5, 6–9, ≥ 10. */
export const LEFT_BREAKS = [1, 3, 6, 10];
export const LEFT_COLORS: Rgb[] = rampColors(LEFT_BREAKS.length + 1, 'higher_is_worse');

/** People wanted per grid code: all of each need before the plan, what the plan leaves unmet after it. */
export function peopleLeftByGrid(
	plan: Pick<PlanResponse, 'needs' | 'optimised'> | null,
	view: MapView
): Record<string, number> {
	const out: Record<string, number> = {};
	if (!plan) return out;
	for (const need of plan.needs)
		out[need.gridCode] =
			(out[need.gridCode] ?? 0) +
			(view === 'before' ? need.people : (plan.optimised.unmet[need.id] ?? 0));
	return out;
}

/** A grid's colour: the class of the people it still wants; a grid with no need wants none (not "no data"). */
export function leftColor(left: number | undefined): Rgb {
	return LEFT_COLORS[LEFT_BREAKS.filter((b) => (left ?? 0) >= b).length];
}

/** The legend's label of class `k`: "0", "1–2", …, "≥ 10". */
export function legendLabel(k: number): string {
	if (k === 0) return '0';
	if (k === LEFT_COLORS.length - 1) return `≥ ${LEFT_BREAKS[k - 1]}`;
	return `${LEFT_BREAKS[k - 1]}–${LEFT_BREAKS[k] - 1}`;
}
