import { describe, expect, it } from 'vitest';
import { nodeRings, outline } from '../../src/lib/domain/topology';
import type { LngLat } from '../../src/lib/domain/geo';

// A 2×2 square, and on its east side two 1×1 squares: a T-junction at (2, 1) on the big square's edge.
const big: LngLat[] = [
	[0, 0],
	[2, 0],
	[2, 2],
	[0, 2]
];
// The lower one's corner computed with a rounding error, as two clipped cells compute it.
const lower: LngLat[] = [
	[2, 0],
	[3, 0],
	[3, 1],
	[2 + 1e-12, 1 - 1e-12]
];
const upper: LngLat[] = [
	[2, 1],
	[3, 1],
	[3, 2],
	[2, 2]
];

describe('shared topology', () => {
	it('inserts the T-junction vertex into the edge that passes it, and snaps near-equal corners to one', () => {
		const [a, b, c] = nodeRings([big, lower, upper]);
		expect(a).toEqual([
			[0, 0],
			[2, 0],
			[2, 1],
			[2, 2],
			[0, 2]
		]);
		expect(b).toEqual([
			[2, 0],
			[3, 0],
			[3, 1],
			[2, 1]
		]);
		expect(c).toEqual(upper);
	});

	it('builds the outline of tiling rings from their unshared edges, keeping every vertex on it', () => {
		const ring = outline(nodeRings([big, lower, upper]));
		expect(ring).toHaveLength(7);
		expect(new Set(ring.map(String))).toEqual(
			new Set(['0,0', '2,0', '3,0', '3,1', '3,2', '2,2', '0,2'])
		);
	});

	it('refuses rings that do not tile one area', () => {
		// Without noding, the big square's edge (2,0)–(2,2) does not cancel the small squares' edges.
		expect(() =>
			outline([
				big,
				[
					[2, 0],
					[3, 0],
					[3, 1],
					[2, 1]
				],
				upper
			])
		).toThrow(/do not tile/);
		expect(() =>
			outline([
				big,
				[
					[5, 0],
					[6, 0],
					[6, 1],
					[5, 1]
				]
			])
		).toThrow(/do not tile/);
	});
});
