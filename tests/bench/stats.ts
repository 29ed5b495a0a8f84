/** Milliseconds to one decimal. */
export const round = (ms: number) => Math.round(ms * 10) / 10;

/** n, median, 95th percentile and maximum of timing samples (nearest-rank percentiles). */
export function stats(samples: number[]) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (p: number) =>
		sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
	return {
		n: samples.length,
		p50: round(at(50)),
		p95: round(at(95)),
		max: round(sorted[sorted.length - 1])
	};
}
