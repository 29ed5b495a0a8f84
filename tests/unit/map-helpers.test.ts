import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { boundsOf } from '../../src/lib/map/map-helpers';

const square = (x: number, y: number, size: number): Feature => ({
	type: 'Feature',
	properties: {},
	geometry: {
		type: 'Polygon',
		coordinates: [
			[
				[x, y],
				[x + size, y],
				[x + size, y + size],
				[x, y + size],
				[x, y]
			]
		]
	}
});

describe('boundsOf', () => {
	it('covers every polygon, multipolygon and point given, as [[west, south], [east, north]]', () => {
		const multi: Feature = {
			type: 'Feature',
			properties: {},
			geometry: {
				type: 'MultiPolygon',
				coordinates: [
					(square(120.5, 30.1, 0.01).geometry as { coordinates: number[][][] }).coordinates,
					(square(120.2, 30.4, 0.02).geometry as { coordinates: number[][][] }).coordinates
				]
			}
		};
		const point: Feature = {
			type: 'Feature',
			properties: {},
			geometry: { type: 'Point', coordinates: [120.35, 30.05] }
		};
		const [[west, south], [east, north]] = boundsOf([square(120.3, 30.2, 0.05), multi, point]);
		expect(west).toBeCloseTo(120.2, 9);
		expect(south).toBeCloseTo(30.05, 9);
		expect(east).toBeCloseTo(120.51, 9);
		expect(north).toBeCloseTo(30.42, 9);
	});
});
