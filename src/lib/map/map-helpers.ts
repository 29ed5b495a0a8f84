import type { Feature, Geometry, Position } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';

/** The default, offline base style: no tiles, no glyphs, no sprites — nothing leaves the server. */
export const OFFLINE_STYLE: StyleSpecification = {
	version: 8,
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9edf1' } }]
};

function positionsOf(geometry: Geometry): Position[] {
	switch (geometry.type) {
		case 'Polygon':
			return geometry.coordinates.flat();
		case 'MultiPolygon':
			return geometry.coordinates.flat(2);
		case 'Point':
			return [geometry.coordinates];
		default:
			return [];
	}
}

/** [[west, south], [east, north]] of a set of features, [lng, lat]. */
export function boundsOf(features: Feature[]): [[number, number], [number, number]] {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const f of features) {
		for (const [lng, lat] of positionsOf(f.geometry)) {
			west = Math.min(west, lng);
			east = Math.max(east, lng);
			south = Math.min(south, lat);
			north = Math.max(north, lat);
		}
	}
	return [
		[west, south],
		[east, north]
	];
}

/** A label position: the area-weighted centroid of the largest polygon's outer ring. */
export function labelPoint(feature: Feature): [number, number] {
	const g = feature.geometry;
	const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
	let best: [number, number] = [0, 0];
	let bestArea = -1;
	for (const polygon of polygons) {
		const ring = polygon[0];
		let area = 0;
		let cx = 0;
		let cy = 0;
		for (let i = 0; i < ring.length - 1; i++) {
			const [x1, y1] = ring[i];
			const [x2, y2] = ring[i + 1];
			const cross = x1 * y2 - x2 * y1;
			area += cross;
			cx += (x1 + x2) * cross;
			cy += (y1 + y2) * cross;
		}
		if (Math.abs(area) > bestArea) {
			bestArea = Math.abs(area);
			best = [cx / (3 * area), cy / (3 * area)];
		}
	}
	return best;
}
