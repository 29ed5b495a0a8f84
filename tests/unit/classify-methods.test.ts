import { describe, expect, it } from 'vitest';
import {
	ckmeansScheme,
	classCounts,
	equalIntervalScheme,
	withinClassSquares,
	type ClassScheme
} from '../../src/lib/domain/classify';
import { SeededRandom } from '../../src/lib/domain/random';

/** Independent check: try every way of cutting the sorted values into k runs, keep the least squares. */
function bruteForceBest(values: number[], k: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	let best = Infinity;
	const n = sorted.length;
	const choose = (from: number, left: number, cuts: number[]) => {
		if (left === 0) {
			const scheme: ClassScheme = {
				breaks: cuts.map((i) => sorted[i]),
				classCount: cuts.length + 1
			};
			// Only cuts between distinct values are expressible as breaks.
			if (cuts.every((i) => sorted[i] !== sorted[i - 1]))
				best = Math.min(best, withinClassSquares(sorted, scheme));
			return;
		}
		for (let i = from; i <= n - left; i++) choose(i + 1, left - 1, [...cuts, i]);
	};
	choose(1, k - 1, []);
	return best;
}

describe('equal interval', () => {
	it('cuts min…max into equal widths, as by hand', () => {
		// 0 … 100 in 4 classes: breaks at 25, 50, 75.
		expect(equalIntervalScheme([0, 10, 60, 100, null], 4).breaks).toEqual([25, 50, 75]);
		expect(
			classCounts([0, 10, 60, 100, null], equalIntervalScheme([0, 10, 60, 100, null], 4))
		).toEqual([2, 0, 1, 1, 1]);
		expect(equalIntervalScheme([3, 3, 3], 5)).toEqual({ breaks: [], classCount: 1 });
	});
});

describe('natural breaks (ckmeans)', () => {
	it('finds the obvious clusters', () => {
		expect(ckmeansScheme([1, 2, 3, 10, 11, 12, 30, 31], 3).breaks).toEqual([10, 30]);
	});

	it('matches an exhaustive search for the least within-class squares on random data', () => {
		const random = new SeededRandom(11);
		for (let trial = 0; trial < 20; trial++) {
			const values = Array.from({ length: 9 + (trial % 4) }, () => Math.round(random.range(0, 50)));
			for (const k of [2, 3, 4]) {
				const scheme = ckmeansScheme(values, k);
				if (new Set(values).size < k) continue;
				expect(withinClassSquares(values, scheme)).toBeCloseTo(bruteForceBest(values, k), 9);
			}
		}
	});

	it('gives fewer classes when there are fewer distinct values, and ignores no-data', () => {
		expect(ckmeansScheme([5, 5, 7, null], 5)).toEqual({ breaks: [7], classCount: 2 });
	});
});
