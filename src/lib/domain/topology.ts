/**
 * One shared topology for polygons that tile an area (grids in communities in a subdistrict).
 *
 * Cells computed one by one (Voronoi clipping) meet only approximately: a vertex of one cell lies
 * in the middle of its neighbour's edge (a T-junction), and the same corner computed twice differs
 * in the last bits. Straight in the plane, such edges still part on the spheroid and in any
 * projection (a 1 km edge with a T-junction opens a sliver a few millimetres wide), and a strict
 * ST_CoveredBy fails. Here neighbours are made to share their edges vertex for vertex, and a
 * parent's ring is built from its children's edges, so that it is their exact union.
 */
import type { LngLat } from './geo';

const round = (value: number, decimals: number) => {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
};

const key = (p: LngLat) => `${p[0]},${p[1]}`;

/** Drops repeated consecutive vertices (also last = first), which snapping can create. */
function dropRepeats(ring: LngLat[]): LngLat[] {
	const out = ring.filter((p, i) => key(p) !== key(ring[(i + ring.length - 1) % ring.length]));
	return out.length === 0 ? ring.slice(0, 1) : out;
}

/**
 * Snaps every vertex to one representative per cluster (vertices closer than `tolerance` degrees
 * are the same corner), rounded to `decimals`: one set of coordinates for everyone.
 */
function snapVertices(rings: LngLat[][], tolerance: number, decimals: number): LngLat[][] {
	const cells = new Map<string, LngLat[]>();
	const cellOf = (v: number) => Math.floor(v / tolerance);
	const representative = (p: LngLat): LngLat => {
		const [cx, cy] = [cellOf(p[0]), cellOf(p[1])];
		for (let dx = -1; dx <= 1; dx++) {
			for (let dy = -1; dy <= 1; dy++) {
				for (const q of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
					if (Math.hypot(q[0] - p[0], q[1] - p[1]) < tolerance) return q;
				}
			}
		}
		const q: LngLat = [round(p[0], decimals), round(p[1], decimals)];
		const list = cells.get(`${cx},${cy}`) ?? [];
		list.push(q);
		cells.set(`${cx},${cy}`, list);
		return q;
	};
	return rings.map((ring) => dropRepeats(ring.map(representative)));
}

/** Vertices (of any ring) within `tolerance` of the open segment a–b, in order from a to b. */
function verticesOnSegment(a: LngLat, b: LngLat, vertices: LngLat[], tolerance: number): LngLat[] {
	const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
	const lengthSquared = dx * dx + dy * dy;
	const [minX, maxX] = [Math.min(a[0], b[0]) - tolerance, Math.max(a[0], b[0]) + tolerance];
	const [minY, maxY] = [Math.min(a[1], b[1]) - tolerance, Math.max(a[1], b[1]) + tolerance];
	const found: [number, LngLat][] = [];
	for (const v of vertices) {
		if (v[0] < minX || v[0] > maxX || v[1] < minY || v[1] > maxY) continue;
		if (key(v) === key(a) || key(v) === key(b)) continue;
		const t = ((v[0] - a[0]) * dx + (v[1] - a[1]) * dy) / lengthSquared;
		if (t <= 0 || t >= 1) continue;
		if (Math.hypot(a[0] + t * dx - v[0], a[1] + t * dy - v[1]) < tolerance) found.push([t, v]);
	}
	return found.sort((x, y) => x[0] - y[0]).map(([, v]) => v);
}

/**
 * Nodes rings that tile an area: snaps corners (closer than `tolerance` degrees) to one rounded
 * coordinate, then inserts into every edge each vertex of another ring that lies on it. Afterwards
 * two neighbours list the same vertices along their common edge, in opposite order.
 */
export function nodeRings(rings: LngLat[][], tolerance = 1e-8, decimals = 9): LngLat[][] {
	const snapped = snapVertices(rings, tolerance, decimals);
	const unique = new Map<string, LngLat>();
	for (const ring of snapped) for (const p of ring) unique.set(key(p), p);
	const vertices = [...unique.values()];
	return snapped.map((ring) =>
		dropRepeats(
			ring.flatMap((a, i) => [
				a,
				...verticesOnSegment(a, ring[(i + 1) % ring.length], vertices, tolerance)
			])
		)
	);
}

/**
 * The outline of the union of noded rings that tile a simply connected area, all wound the same
 * way: every edge two rings share (once each way) cancels, the rest chain into one ring. Every
 * child vertex on the outline is a vertex of it, so each child is exactly covered by it.
 * Throws when the rest is not one ring (the children do not tile: a gap, an overlap, a hole).
 */
export function outline(rings: LngLat[][]): LngLat[] {
	const edges = new Map<string, [LngLat, LngLat]>();
	for (const ring of rings) {
		ring.forEach((a, i) => {
			const b = ring[(i + 1) % ring.length];
			const reverse = `${key(b)}>${key(a)}`;
			if (edges.has(reverse)) edges.delete(reverse);
			else edges.set(`${key(a)}>${key(b)}`, [a, b]);
		});
	}
	const next = new Map<string, LngLat>();
	for (const [a, b] of edges.values()) {
		if (next.has(key(a))) throw new Error(`rings do not tile: two outline edges leave ${key(a)}`);
		next.set(key(a), b);
	}
	const [start] = edges.values().next().value ?? [];
	if (!start) throw new Error('rings do not tile: no outline');
	const out: LngLat[] = [];
	for (
		let p: LngLat | undefined = start;
		p && (out.length === 0 || key(p) !== key(start));
		p = next.get(key(p))
	) {
		out.push(p);
		if (out.length > next.size) throw new Error('rings do not tile: the outline does not close');
	}
	if (out.length !== next.size)
		throw new Error(
			`rings do not tile: the outline has ${next.size - out.length} edges in other rings`
		);
	return out;
}
