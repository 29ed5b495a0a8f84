/**
 * Which map labels to draw, and where, so that none overlaps another: the same greedy rule as
 * MapLibre's symbol collision (earlier candidates win; a later one tries its other anchors, then
 * is left out). Pure: the caller projects and measures, in screen pixels.
 */
export interface Box {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

export interface LabelCandidate<T> {
	item: T;
	/** Screen position of the anchor, px. */
	x: number;
	y: number;
	width: number;
	height: number;
	/** Offsets (px) to try, in order; the first that collides with nothing placed wins. */
	offsets: [number, number][];
}

export interface PlacedLabel<T> {
	item: T;
	offset: [number, number];
	box: Box;
}

export const overlaps = (a: Box, b: Box) =>
	a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The box of a label centred at (x, y) + offset, grown by `margin` px on every side. */
export function boxAt(
	x: number,
	y: number,
	width: number,
	height: number,
	[dx, dy]: [number, number],
	margin = 0
): Box {
	return {
		left: x + dx - width / 2 - margin,
		right: x + dx + width / 2 + margin,
		top: y + dy - height / 2 - margin,
		bottom: y + dy + height / 2 + margin
	};
}

/** Places candidates in order; returns those placed, each at its first offset that collides with none placed before. */
export function placeLabels<T>(candidates: LabelCandidate<T>[], margin = 2): PlacedLabel<T>[] {
	const placed: PlacedLabel<T>[] = [];
	for (const c of candidates) {
		for (const offset of c.offsets) {
			const box = boxAt(c.x, c.y, c.width, c.height, offset, margin);
			if (!placed.some((p) => overlaps(p.box, box))) {
				placed.push({ item: c.item, offset, box });
				break;
			}
		}
	}
	return placed;
}
