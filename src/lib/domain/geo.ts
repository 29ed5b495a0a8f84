/**
 * Plane geometry for small areas (one subdistrict, ~10 km across).
 *
 * Conventions: geographic positions are `[lng, lat]` in EPSG:4326 (GeoJSON order);
 * local positions are `[x, y]` in metres east and north of an origin, on an
 * equirectangular projection, which over 10 km distorts areas by well under 0.1 %.
 * Areas that are reported to people are measured by PostGIS on the geography, not here.
 */
export type LngLat = [number, number];
export type XY = [number, number];
/** A simple polygon ring in local metres, not closed (last point ≠ first). */
export type Ring = XY[];

/** Metres per degree of latitude (WGS84 mean near 30° N). */
const METERS_PER_DEGREE_LAT = 110_852;
/** Metres per degree of longitude at the equator (WGS84 semi-major axis × π/180). */
const METERS_PER_DEGREE_LNG_EQUATOR = 111_319.49;

export class LocalProjection {
	private readonly metersPerDegreeLng: number;

	constructor(readonly origin: LngLat) {
		this.metersPerDegreeLng = METERS_PER_DEGREE_LNG_EQUATOR * Math.cos((origin[1] * Math.PI) / 180);
	}

	toLocal([lng, lat]: LngLat): XY {
		return [
			(lng - this.origin[0]) * this.metersPerDegreeLng,
			(lat - this.origin[1]) * METERS_PER_DEGREE_LAT
		];
	}

	toLngLat([x, y]: XY): LngLat {
		return [
			this.origin[0] + x / this.metersPerDegreeLng,
			this.origin[1] + y / METERS_PER_DEGREE_LAT
		];
	}
}

/** Signed area (shoelace); positive when the ring runs counter-clockwise. */
export function signedArea(ring: Ring): number {
	let sum = 0;
	for (let i = 0; i < ring.length; i++) {
		const [x1, y1] = ring[i];
		const [x2, y2] = ring[(i + 1) % ring.length];
		sum += x1 * y2 - x2 * y1;
	}
	return sum / 2;
}

export function ringCentroid(ring: Ring): XY {
	let cx = 0;
	let cy = 0;
	let twiceArea = 0;
	for (let i = 0; i < ring.length; i++) {
		const [x1, y1] = ring[i];
		const [x2, y2] = ring[(i + 1) % ring.length];
		const cross = x1 * y2 - x2 * y1;
		twiceArea += cross;
		cx += (x1 + x2) * cross;
		cy += (y1 + y2) * cross;
	}
	return [cx / (3 * twiceArea), cy / (3 * twiceArea)];
}

/**
 * Keeps the part of `ring` on the side of the line through `point` with outward normal
 * `normal` where (p − point)·normal ≤ 0 (Sutherland–Hodgman against one half-plane).
 */
export function clipByHalfPlane(ring: Ring, point: XY, normal: XY): Ring {
	const side = (p: XY) => (p[0] - point[0]) * normal[0] + (p[1] - point[1]) * normal[1];
	const out: Ring = [];
	for (let i = 0; i < ring.length; i++) {
		const current = ring[i];
		const next = ring[(i + 1) % ring.length];
		const sc = side(current);
		const sn = side(next);
		if (sc <= 0) out.push(current);
		if ((sc < 0 && sn > 0) || (sc > 0 && sn < 0)) {
			const t = sc / (sc - sn);
			out.push([current[0] + t * (next[0] - current[0]), current[1] + t * (next[1] - current[1])]);
		}
	}
	return out;
}

/**
 * Voronoi cells of `sites` inside a convex `region`: each cell is the region clipped by
 * the perpendicular bisectors to every other site. O(n²), fine for the few dozen sites
 * of one subdistrict or community. The cells tile the region: no gaps, no overlaps.
 */
export function voronoiCells(region: Ring, sites: XY[]): Ring[] {
	return sites.map((site, i) => {
		let cell = region;
		for (let j = 0; j < sites.length && cell.length > 0; j++) {
			if (j === i) continue;
			const other = sites[j];
			const mid: XY = [(site[0] + other[0]) / 2, (site[1] + other[1]) / 2];
			cell = clipByHalfPlane(cell, mid, [other[0] - site[0], other[1] - site[1]]);
		}
		return cell;
	});
}

export function pointInRing([x, y]: XY, ring: Ring): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function ringBounds(ring: Ring): { minX: number; minY: number; maxX: number; maxY: number } {
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const [x, y] of ring) {
		minX = Math.min(minX, x);
		minY = Math.min(minY, y);
		maxX = Math.max(maxX, x);
		maxY = Math.max(maxY, y);
	}
	return { minX, minY, maxX, maxY };
}

/** Distance from a point to the nearest edge of a ring. */
export function distanceToRingEdge([x, y]: XY, ring: Ring): number {
	let best = Infinity;
	for (let i = 0; i < ring.length; i++) {
		const [x1, y1] = ring[i];
		const [x2, y2] = ring[(i + 1) % ring.length];
		const dx = x2 - x1;
		const dy = y2 - y1;
		const lengthSquared = dx * dx + dy * dy;
		const t =
			lengthSquared === 0
				? 0
				: Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / lengthSquared));
		best = Math.min(best, Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)));
	}
	return best;
}

/** Scales a ring about its centroid so that its area becomes `targetArea`. */
export function scaleRingToArea(ring: Ring, targetArea: number): Ring {
	const factor = Math.sqrt(targetArea / Math.abs(signedArea(ring)));
	const [cx, cy] = ringCentroid(ring);
	return ring.map(([x, y]) => [cx + (x - cx) * factor, cy + (y - cy) * factor]);
}

/**
 * Adds vertices so that no edge is longer than `maxSegmentMeters`. Long straight edges in
 * [lng, lat] differ from geodesics (PostGIS geography) by up to a metre over 8 km; short
 * edges keep planar and geodesic measures of shared boundaries in agreement.
 */
export function densifyRing(ring: Ring, maxSegmentMeters: number): Ring {
	const out: Ring = [];
	for (let i = 0; i < ring.length; i++) {
		const a = ring[i];
		const b = ring[(i + 1) % ring.length];
		const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / maxSegmentMeters));
		for (let s = 0; s < steps; s++)
			out.push([a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps]);
	}
	return out;
}
