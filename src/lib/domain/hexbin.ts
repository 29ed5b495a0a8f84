/**
 * Hexagonal binning of weighted points, so that counts of households can be mapped without
 * showing where any one household is. Pointy-top hexagons of a given circumradius in metres,
 * on a local equirectangular plane around an origin (exact enough over a subdistrict: at 30° N
 * the scale error across 10 km is under 0.1 %).
 */
import { LocalProjection, type LngLat, type XY } from './geo';

export interface WeightedPoint {
	position: LngLat;
	weight: number;
}

export interface HexCell {
	/** Axial coordinates: a stable id for the cell. */
	q: number;
	r: number;
	count: number;
	center: LngLat;
	/** Six corners and the first repeated, [lng, lat]. */
	ring: LngLat[];
}

export interface HexGrid {
	radiusM: number;
	origin: LngLat;
	cellOf(position: LngLat): { q: number; r: number };
	center(q: number, r: number): LngLat;
	ring(q: number, r: number): LngLat[];
}

export function hexGrid(radiusM: number, origin: LngLat): HexGrid {
	if (!(radiusM > 0)) throw new RangeError('hexagon radius must be positive');
	const plane = new LocalProjection(origin);
	const toPlane = (p: LngLat) => plane.toLocal(p);
	const fromPlane = (p: XY) => plane.toLngLat(p);
	const centerPlane = (q: number, r: number): XY => [
		radiusM * Math.sqrt(3) * (q + r / 2),
		radiusM * 1.5 * r
	];
	return {
		radiusM,
		origin,
		cellOf(position) {
			const [x, y] = toPlane(position);
			// Fractional axial coordinates, then cube rounding (the coordinate with the largest rounding error is recomputed).
			const fq = ((Math.sqrt(3) / 3) * x - y / 3) / radiusM;
			const fr = ((2 / 3) * y) / radiusM;
			const fs = -fq - fr;
			let q = Math.round(fq);
			let r = Math.round(fr);
			const s = Math.round(fs);
			const dq = Math.abs(q - fq);
			const dr = Math.abs(r - fr);
			const ds = Math.abs(s - fs);
			if (dq > dr && dq > ds) q = -r - s;
			else if (dr > ds) r = -q - s;
			return { q: q + 0, r: r + 0 };
		},
		center(q, r) {
			return fromPlane(centerPlane(q, r));
		},
		ring(q, r) {
			const [cx, cy] = centerPlane(q, r);
			const corners: LngLat[] = [];
			for (let k = 0; k < 6; k++) {
				const angle = (Math.PI / 180) * (60 * k - 30);
				corners.push(fromPlane([cx + radiusM * Math.cos(angle), cy + radiusM * Math.sin(angle)]));
			}
			corners.push(corners[0]);
			return corners;
		}
	};
}

/** Sums point weights per hexagon; cells with no weight are left out. */
export function hexBin(points: WeightedPoint[], grid: HexGrid): HexCell[] {
	const cells = new Map<string, { q: number; r: number; count: number }>();
	for (const point of points) {
		if (!(point.weight > 0)) continue;
		const { q, r } = grid.cellOf(point.position);
		const key = `${q},${r}`;
		const cell = cells.get(key);
		if (cell) cell.count += point.weight;
		else cells.set(key, { q, r, count: point.weight });
	}
	return [...cells.values()]
		.sort((a, b) => a.r - b.r || a.q - b.q)
		.map(({ q, r, count }) => ({ q, r, count, center: grid.center(q, r), ring: grid.ring(q, r) }));
}
