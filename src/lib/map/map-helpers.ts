import type { Feature, Geometry, Position } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { ringCentroid, signedArea, type Ring } from '../domain/geo';

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
	// GeoJSON rings repeat their first position at the end; the plane helpers take open rings.
	const rings = polygons.map((polygon) => polygon[0].slice(0, -1) as Ring);
	const largest = rings.reduce<Ring | null>((best, ring) => (!best || Math.abs(signedArea(ring)) > Math.abs(signedArea(best)) ? ring : best), null);
	return largest ? ringCentroid(largest) : [0, 0];
}
