import { describe, expect, it } from 'vitest';
import {
	clipByHalfPlane,
	densifyRing,
	LocalProjection,
	pointInRing,
	scaleRingToArea,
	signedArea,
	voronoiCells,
	type Ring
} from '../../src/lib/domain/geo';
import { SeededRandom } from '../../src/lib/domain/random';

const square: Ring = [
	[0, 0],
	[100, 0],
	[100, 100],
	[0, 100]
];

describe('plane geometry', () => {
	it('measures signed area (counter-clockwise positive)', () => {
		expect(signedArea(square)).toBe(10_000);
		expect(signedArea([...square].reverse())).toBe(-10_000);
	});

	it('clips a ring by a half-plane', () => {
		const left = clipByHalfPlane(square, [40, 0], [1, 0]);
		expect(signedArea(left)).toBeCloseTo(4_000, 9);
	});

	it('tiles a region with Voronoi cells: areas add up, every site inside its own cell', () => {
		const random = new SeededRandom(7);
		const sites = Array.from(
			{ length: 30 },
			() => [random.range(0, 100), random.range(0, 100)] as [number, number]
		);
		const cells = voronoiCells(square, sites);
		const total = cells.reduce((sum, cell) => sum + signedArea(cell), 0);
		expect(total).toBeCloseTo(10_000, 6);
		sites.forEach((site, i) => expect(pointInRing(site, cells[i])).toBe(true));
	});

	it('scales a ring to a target area and densifies it without changing the area', () => {
		const scaled = scaleRingToArea(square, 54.9e6);
		expect(signedArea(scaled)).toBeCloseTo(54.9e6, 3);
		const dense = densifyRing(scaled, 50);
		expect(signedArea(dense)).toBeCloseTo(54.9e6, 3);
		expect(dense.length).toBeGreaterThan(4 * 100);
	});

	it('projects [lng, lat] to local metres and back', () => {
		const projection = new LocalProjection([120.35, 30.3]);
		const [x, y] = projection.toLocal([120.36, 30.31]);
		// 0.01° of longitude at 30.3° N ≈ 961 m; 0.01° of latitude ≈ 1,109 m.
		expect(x).toBeCloseTo(961.2, 0);
		expect(y).toBeCloseTo(1108.5, 0);
		const [lng, lat] = projection.toLngLat([x, y]);
		expect(lng).toBeCloseTo(120.36, 12);
		expect(lat).toBeCloseTo(30.31, 12);
	});
});

describe('seeded random', () => {
	it('repeats its sequence for a seed and differs between seeds', () => {
		const a = new SeededRandom(42);
		const b = new SeededRandom(42);
		const c = new SeededRandom(43);
		const seqA = Array.from({ length: 5 }, () => a.next());
		expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
		expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
		expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true);
	});
});
