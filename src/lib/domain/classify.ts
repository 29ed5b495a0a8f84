/**
 * Choropleth classification. A class scheme is a list of ascending breaks: value v falls in
 * class i where breaks[i - 1] ≤ v < breaks[i] (class 0 below breaks[0], the last class at or
 * above the last break). null means "no data" and gets no class.
 */
export interface ClassScheme {
	breaks: number[];
	/** Number of classes = breaks.length + 1. */
	classCount: number;
}

export function classOf(value: number | null, scheme: ClassScheme): number | null {
	if (value === null || Number.isNaN(value)) return null;
	let index = 0;
	while (index < scheme.breaks.length && value >= scheme.breaks[index]) index++;
	return index;
}

export function policyScheme(breaks: number[]): ClassScheme {
	return { breaks: [...breaks], classCount: breaks.length + 1 };
}

/**
 * Quantile breaks: classes with (as near as ties allow) equal numbers of areas. Duplicate
 * breaks from tied values are dropped, so fewer classes may result.
 */
export function quantileScheme(values: (number | null)[], classCount: number): ClassScheme {
	const sorted = values
		.filter((v): v is number => v !== null && !Number.isNaN(v))
		.sort((a, b) => a - b);
	if (sorted.length === 0) return { breaks: [], classCount: 1 };
	const breaks: number[] = [];
	for (let k = 1; k < classCount; k++) {
		const b = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / classCount))];
		if (b > sorted[0] && (breaks.length === 0 || b > breaks[breaks.length - 1])) breaks.push(b);
	}
	return { breaks, classCount: breaks.length + 1 };
}

/** Counts areas per class; index classCount holds the no-data count. */
export function classCounts(values: (number | null)[], scheme: ClassScheme): number[] {
	const counts = new Array(scheme.classCount + 1).fill(0);
	for (const v of values) {
		const c = classOf(v, scheme);
		counts[c === null ? scheme.classCount : c]++;
	}
	return counts;
}

/**
 * Colour-blind-safe sequential ramps (ColorBrewer-like, single-hue orange for "worse",
 * and red→yellow→blue for policy classes where higher is better), as [r, g, b].
 */
const WORSE_RAMP: [number, number, number][] = [
	[254, 237, 222],
	[253, 190, 133],
	[253, 141, 60],
	[230, 85, 13],
	[166, 54, 3]
];
const BETTER_RAMP: [number, number, number][] = [
	[215, 48, 39],
	[252, 141, 89],
	[254, 224, 144],
	[145, 191, 219],
	[69, 117, 180]
];
/** No data on the light theme; darker than the ramps' light ends so it is not read as a class (map/palette.ts). */
export const NO_DATA_COLOR: [number, number, number] = [165, 165, 165];

/** Picks `count` colours spread over the ramp for the metric's direction. */
export function rampColors(
	count: number,
	direction: 'higher_is_better' | 'higher_is_worse'
): [number, number, number][] {
	const ramp = direction === 'higher_is_better' ? BETTER_RAMP : WORSE_RAMP;
	if (count <= 1) return [ramp[Math.floor(ramp.length / 2)]];
	return Array.from(
		{ length: count },
		(_, i) => ramp[Math.round((i * (ramp.length - 1)) / (count - 1))]
	);
}

const numeric = (values: (number | null)[]) =>
	values.filter((v): v is number => v !== null && !Number.isNaN(v)).sort((a, b) => a - b);

/** Equal-interval breaks: the range min…max cut into `classCount` classes of equal width. */
export function equalIntervalScheme(values: (number | null)[], classCount: number): ClassScheme {
	const sorted = numeric(values);
	if (sorted.length === 0 || sorted[0] === sorted[sorted.length - 1])
		return { breaks: [], classCount: 1 };
	const min = sorted[0];
	const width = (sorted[sorted.length - 1] - min) / classCount;
	const breaks = Array.from({ length: classCount - 1 }, (_, i) => min + width * (i + 1));
	return { breaks, classCount };
}

/**
 * Natural breaks by optimal 1-D k-means (the Ckmeans.1d.dp dynamic programme, Wang & Song 2011):
 * classes that minimise the total within-class sum of squared deviations. O(k·n²), fine for the
 * hundreds of areas of one subdistrict. Breaks are the lowest value of each class after the first.
 */
export function ckmeansScheme(values: (number | null)[], classCount: number): ClassScheme {
	const sorted = numeric(values);
	const n = sorted.length;
	const distinct = new Set(sorted).size;
	const k = Math.min(classCount, distinct);
	if (n === 0 || k <= 1) return { breaks: [], classCount: 1 };
	// Prefix sums give the squared deviation of any run sorted[i..j] in O(1).
	const sum = [0];
	const sumSq = [0];
	for (const v of sorted) {
		sum.push(sum[sum.length - 1] + v);
		sumSq.push(sumSq[sumSq.length - 1] + v * v);
	}
	const cost = (i: number, j: number) => {
		const count = j - i + 1;
		const s = sum[j + 1] - sum[i];
		return sumSq[j + 1] - sumSq[i] - (s * s) / count;
	};
	// best[c][j]: least cost of putting sorted[0..j] into c + 1 classes; start[c][j]: where the last class begins.
	const best: number[][] = [Array.from({ length: n }, (_, j) => cost(0, j))];
	const start: number[][] = [Array.from({ length: n }, () => 0)];
	for (let c = 1; c < k; c++) {
		best.push(new Array(n).fill(Infinity));
		start.push(new Array(n).fill(0));
		for (let j = c; j < n; j++) {
			for (let i = c; i <= j; i++) {
				const candidate = best[c - 1][i - 1] + cost(i, j);
				if (candidate < best[c][j]) {
					best[c][j] = candidate;
					start[c][j] = i;
				}
			}
		}
	}
	const breaks: number[] = [];
	let j = n - 1;
	for (let c = k - 1; c > 0; c--) {
		const i = start[c][j];
		breaks.unshift(sorted[i]);
		j = i - 1;
	}
	return { breaks, classCount: breaks.length + 1 };
}

/** Within-class sum of squared deviations of a classification (to compare methods). */
export function withinClassSquares(values: number[], scheme: ClassScheme): number {
	const groups = new Map<number, number[]>();
	for (const v of values) {
		const c = classOf(v, scheme) as number;
		groups.set(c, [...(groups.get(c) ?? []), v]);
	}
	let total = 0;
	for (const group of groups.values()) {
		const mean = group.reduce((a, b) => a + b, 0) / group.length;
		total += group.reduce((a, v) => a + (v - mean) ** 2, 0);
	}
	return total;
}

/**
 * Colour-blind-safe diverging ramp (purple–orange, ColorBrewer PuOr): orange for change for the
 * worse, purple for the better, near-white for no change. Listed from "worse" to "better".
 */
const DIVERGING_RAMP: [number, number, number][] = [
	[179, 88, 6],
	[241, 163, 64],
	[254, 224, 182],
	[247, 247, 247],
	[216, 218, 235],
	[153, 142, 195],
	[84, 39, 136]
];

/** A "nice" step (1, 2 or 5 × 10^k) at or above `raw`. */
export function niceStep(raw: number): number {
	if (!(raw > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(raw));
	for (const m of [1, 2, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
	return 10 * power;
}

/** The largest "nice" step (1, 2 or 5 × 10^k) at or below `raw`. */
export function niceStepDown(raw: number): number {
	if (!(raw > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(raw) + 1e-9);
	for (const m of [5, 2, 1]) if (m * power <= raw * (1 + 1e-9)) return m * power;
	return power;
}

/**
 * Classes for a change map: an odd number of classes symmetric around zero. The middle class is
 * "about no change", (−step/2, step/2); the step is a nice number chosen so that the largest
 * absolute change falls in an outer class. `minimumStep` keeps tiny changes from being spread
 * over the ramp (e.g. 1 household, or 0.5 percentage points).
 */
export function divergingScheme(
	values: (number | null)[],
	classCount: number,
	minimumStep: number
): ClassScheme {
	const count = Math.min(7, Math.max(3, classCount % 2 === 1 ? classCount : classCount + 1));
	const half = (count - 1) / 2;
	const largest = Math.max(0, ...numeric(values).map(Math.abs));
	// Rounded down, so the largest change reaches the outermost class (which starts at (half − ½) · step).
	const step =
		largest === 0 ? minimumStep : Math.max(minimumStep, niceStepDown(largest / (half - 0.5)));
	const breaks: number[] = [];
	for (let i = half; i >= 1; i--) breaks.push(-(i - 0.5) * step);
	for (let i = 1; i <= half; i++) breaks.push((i - 0.5) * step);
	return { breaks, classCount: count };
}

/** Which ramp colours each class count uses: symmetric around the neutral middle. */
const DIVERGING_PICKS: Record<number, number[]> = {
	3: [1, 3, 5],
	5: [0, 1, 3, 5, 6],
	7: [0, 1, 2, 3, 4, 5, 6]
};

/** `count` (3, 5 or 7) diverging colours from "worse" to "better" (reversed when a lower value is better). */
export function divergingColors(
	count: number,
	direction: 'higher_is_better' | 'higher_is_worse'
): [number, number, number][] {
	const colors = (DIVERGING_PICKS[count] ?? DIVERGING_PICKS[5]).map((i) => DIVERGING_RAMP[i]);
	return direction === 'higher_is_better' ? colors : colors.reverse();
}
