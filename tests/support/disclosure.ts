/**
 * An attacker of published figures, for the privacy tests of wall screens (issue 16).
 *
 * The attacker knows how figures are published (`publish`: exact value → shown value, null for a
 * withheld one) and every published figure, and knows which figures are sums of which (a community is
 * the sum of its grids, a grid of its compounds, a cumulative count of its daily increments). From the
 * published value alone each figure lies in an interval (`intervalOf`); the sums tie the intervals
 * together. Two solvers:
 * - `feasibleValues` / `pinnedFigures` search the assignments of the unknowns consistent with all
 *   published figures (exact, for small systems): a figure is pinned when it has one feasible value;
 * - `tightenIntervals` propagates bounds through the sums to a fixpoint (what "community total minus
 *   its other grids" and "day t+1 minus day t" do, repeated), sound but not exact, for the real demo.
 */

/** How one count is shown: a number, or null when withheld. */
export type Publish = (value: number) => number | null;

/**
 * The integer interval of exact values that `publish` shows as `shown`. Every scheme here shows a
 * value within 2k of itself (or withholds a value below k), so the search spans that window and
 * refuses a result that touches its edge or has a gap.
 */
export function intervalOf(publish: Publish, shown: number | null, k: number): [number, number] {
	const from = shown === null ? 0 : Math.max(0, shown - 2 * k);
	const to = shown === null ? 2 * k : shown + 2 * k;
	let lo = -1;
	let hi = -1;
	for (let v = from; v <= to; v++) {
		if (publish(v) !== shown) continue;
		if (lo < 0) lo = v;
		else if (v !== hi + 1)
			throw new Error(`values shown as ${shown} are not one interval (${hi + 1} is not)`);
		hi = v;
	}
	if (lo < 0) throw new Error(`no value is published as ${shown}`);
	if ((lo === from && from > 0) || hi === to)
		throw new Error(`values shown as ${shown} reach past ${from}…${to}`);
	return [lo, hi];
}

/** A published figure: the sum of some unknowns (leaves), known to lie in `range` (what its published value allows). */
export interface Figure {
	name: string;
	leaves: number[];
	range: [number, number];
}

/**
 * Depth-first search over assignments of the leaves (`domains[i]`: the values leaf i may take a
 * priori) consistent with every figure's range, pruned by intervals; `found` gets each solution's
 * figure values and returns true to stop. Meant for a few dozen leaves at most.
 */
function searchSolutions(
	domains: number[][],
	figures: Figure[],
	found: (values: number[]) => boolean
): void {
	const bounds = figures.map((f) => f.range);
	const of = domains.map((_, i) =>
		figures.map((f, j) => (f.leaves.includes(i) ? j : -1)).filter((j) => j >= 0)
	);
	const partial = figures.map(() => 0);
	// The least and most the leaves not yet assigned can add to each figure.
	const restMin = figures.map((f) => f.leaves.reduce((s, i) => s + Math.min(...domains[i]), 0));
	const restMax = figures.map((f) => f.leaves.reduce((s, i) => s + Math.max(...domains[i]), 0));
	const visit = (i: number): boolean => {
		if (i === domains.length) return found(partial);
		const lo = Math.min(...domains[i]);
		const hi = Math.max(...domains[i]);
		for (const j of of[i]) {
			restMin[j] -= lo;
			restMax[j] -= hi;
		}
		let stop = false;
		for (const value of domains[i]) {
			let ok = true;
			for (const j of of[i]) {
				partial[j] += value;
				if (partial[j] + restMin[j] > bounds[j][1] || partial[j] + restMax[j] < bounds[j][0])
					ok = false;
			}
			if (ok) stop = visit(i + 1);
			for (const j of of[i]) partial[j] -= value;
			if (stop) break;
		}
		for (const j of of[i]) {
			restMin[j] += lo;
			restMax[j] += hi;
		}
		return stop;
	};
	visit(0);
}

/** Every value each figure can take over all assignments consistent with all published figures (exact; small systems). */
export function feasibleValues(domains: number[][], figures: Figure[]): Map<string, Set<number>> {
	const seen = new Map(figures.map((f) => [f.name, new Set<number>()]));
	searchSolutions(domains, figures, (values) => {
		figures.forEach((f, j) => seen.get(f.name)!.add(values[j]));
		return false;
	});
	return seen;
}

/**
 * The figures the attacker pins: those for which no assignment consistent with all published
 * figures gives a value other than `truth[j]` (one search per figure, stopped at the first other value).
 */
export function pinnedFigures(domains: number[][], figures: Figure[], truth: number[]): string[] {
	return figures
		.filter((f, j) => {
			let other = false;
			searchSolutions(domains, figures, (values) => (other = values[j] !== truth[j]));
			return !other;
		})
		.map((f) => f.name);
}

/** A sum the attacker knows: `total` = Σ `parts` (names of figures or derived unknowns). */
export interface SumRelation {
	total: string;
	parts: string[];
}

/**
 * Interval propagation through sums to a fixpoint: each unknown starts at the interval its published
 * value allows (or [0, ∞) when it is not published, e.g. a day's increment of a cumulative count) and
 * is narrowed by total ∈ Σ parts and part ∈ total − Σ other parts, again and again. Sound: the exact
 * value always stays inside; an interval of one value is a recovered count.
 */
export function tightenIntervals(
	start: Map<string, [number, number]>,
	sums: SumRelation[],
	rounds = 100
): Map<string, [number, number]> {
	const box = new Map(start);
	const get = (name: string): [number, number] => box.get(name) ?? [0, Infinity];
	for (let round = 0; round < rounds; round++) {
		let changed = false;
		const narrow = (name: string, lo: number, hi: number) => {
			const [a, b] = get(name);
			const next: [number, number] = [Math.max(a, lo), Math.min(b, hi)];
			if (next[0] > next[1])
				throw new Error(
					`no value of ${name} fits the published figures: [${a}, ${b}] ∩ [${lo}, ${hi}]`
				);
			if (next[0] !== a || next[1] !== b) {
				box.set(name, next);
				changed = true;
			}
		};
		for (const { total, parts } of sums) {
			const lows = parts.map((p) => get(p)[0]);
			const highs = parts.map((p) => get(p)[1]);
			const sumLo = lows.reduce((s, v) => s + v, 0);
			// An unbounded part leaves the total unbounded above, and every other part unbounded below.
			const unbounded = highs.filter((h) => h === Infinity).length;
			const finiteHi = highs.reduce((s, v) => (v === Infinity ? s : s + v), 0);
			narrow(total, sumLo, unbounded ? Infinity : finiteHi);
			const [tLo, tHi] = get(total);
			parts.forEach((p, i) => {
				const othersHi =
					highs[i] === Infinity
						? unbounded > 1
							? Infinity
							: finiteHi
						: unbounded
							? Infinity
							: finiteHi - highs[i];
				narrow(p, tLo - othersHi, tHi - (sumLo - lows[i]));
			});
		}
		if (!changed) break;
	}
	return box;
}
