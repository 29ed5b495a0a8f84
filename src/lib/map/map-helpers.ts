import type { Feature, Position } from 'geojson';
import { bbox } from '@turf/bbox';
import type { StyleSpecification } from 'maplibre-gl';
import { ringCentroid, signedArea, type Ring } from '../domain/geo';

/** The default, offline base style: no tiles, no glyphs, no sprites — nothing leaves the server. */
export const OFFLINE_STYLE: StyleSpecification = {
	version: 8,
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9edf1' } }]
};

/** [[west, south], [east, north]] of a set of features, [lng, lat] (Turf's bbox over all their positions). */
export function boundsOf(features: Feature[]): [[number, number], [number, number]] {
	const [west, south, east, north] = bbox({ type: 'FeatureCollection', features });
	return [
		[west, south],
		[east, north]
	];
}

/** A label position: the area-weighted centroid of the largest polygon's outer ring. */
export function labelPoint(feature: Feature): [number, number] {
	const g = feature.geometry;
	const polygons =
		g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
	// GeoJSON rings repeat their first position at the end; the plane helpers take open rings.
	const rings = polygons.map((polygon) => polygon[0].slice(0, -1) as Ring);
	const largest = rings.reduce<Ring | null>(
		(best, ring) =>
			!best || Math.abs(signedArea(ring)) > Math.abs(signedArea(best)) ? ring : best,
		null
	);
	return largest ? ringCentroid(largest) : [0, 0];
}

/**
 * Diagonal hatching clipped to an area: segments of the lines x − y = c (x scaled by cos(latitude)
 * so the lines run at 45° on the map) that lie inside the polygon, `spacing` degrees of latitude
 * apart. Even-odd pairing of each line's crossings handles holes and multipolygons.
 */
export function hatchLines(feature: Feature, spacing: number): [number, number][][] {
	const g = feature.geometry;
	const rings =
		g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : [];
	if (!rings.length || !(spacing > 0)) return [];
	const lat0 = rings[0][0][1];
	const k = Math.cos((lat0 * Math.PI) / 180);
	const project = (p: Position): [number, number] => [p[0] * k, p[1]];
	const edges = rings.flatMap((ring) =>
		ring.slice(1).map((p, i) => [project(ring[i]), project(p)] as const)
	);
	const values = edges.flatMap(([a, b]) => [a[0] - a[1], b[0] - b[1]]);
	const lines: [number, number][][] = [];
	for (
		let c = Math.ceil(Math.min(...values) / spacing) * spacing;
		c <= Math.max(...values);
		c += spacing
	) {
		const crossings: [number, number][] = [];
		for (const [a, b] of edges) {
			const da = a[0] - a[1] - c;
			const db = b[0] - b[1] - c;
			if (da < 0 === db < 0) continue;
			const t = da / (da - db);
			crossings.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
		}
		crossings.sort((p, q) => p[0] - q[0]);
		for (let i = 0; i + 1 < crossings.length; i += 2)
			lines.push([crossings[i], crossings[i + 1]].map(([x, y]) => [x / k, y] as [number, number]));
	}
	return lines;
}

/** A point's radius in pixels, growing with the square root of its value, held between min and max. */
export const sqrtSize = (value: number, scale: number, min: number, max: number) =>
	Math.max(min, Math.min(max, Math.sqrt(Math.max(0, value)) * scale));
