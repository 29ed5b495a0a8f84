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
	const sorted = values.filter((v): v is number => v !== null && !Number.isNaN(v)).sort((a, b) => a - b);
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
export const NO_DATA_COLOR: [number, number, number] = [200, 200, 200];

/** Picks `count` colours spread over the ramp for the metric's direction. */
export function rampColors(count: number, direction: 'higher_is_better' | 'higher_is_worse'): [number, number, number][] {
	const ramp = direction === 'higher_is_better' ? BETTER_RAMP : WORSE_RAMP;
	if (count <= 1) return [ramp[Math.floor(ramp.length / 2)]];
	return Array.from({ length: count }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (count - 1))]);
}
