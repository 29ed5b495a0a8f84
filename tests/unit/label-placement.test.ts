import { describe, expect, it } from 'vitest';
import { overlaps, placeLabels, type LabelCandidate } from '../../src/lib/map/label-placement';

const candidate = (
	item: string,
	x: number,
	y: number,
	offsets: [number, number][] = [[0, 0]]
): LabelCandidate<string> => ({ item, x, y, width: 40, height: 16, offsets });

describe('placeLabels', () => {
	it('keeps labels that do not touch, where they are', () => {
		const placed = placeLabels([candidate('a', 0, 0), candidate('b', 100, 0)]);
		expect(placed.map((p) => [p.item, p.offset])).toEqual([
			['a', [0, 0]],
			['b', [0, 0]]
		]);
	});

	it('moves a later label to its next free anchor, and leaves it out when none is free', () => {
		const placed = placeLabels([
			candidate('label', 0, 0),
			candidate('badge', 10, 5, [
				[0, 0],
				[0, 20]
			]),
			candidate('late', 0, 0, [[0, 0]])
		]);
		expect(placed.map((p) => [p.item, p.offset])).toEqual([
			['label', [0, 0]],
			['badge', [0, 20]]
		]);
	});

	it('never returns two boxes that overlap', () => {
		const many = Array.from({ length: 60 }, (_, i) =>
			candidate(`l${i}`, (i * 37) % 200, (i * 53) % 120, [
				[0, 0],
				[0, 18],
				[0, -18],
				[30, 0]
			])
		);
		const placed = placeLabels(many);
		for (let i = 0; i < placed.length; i++)
			for (let j = i + 1; j < placed.length; j++)
				expect(overlaps(placed[i].box, placed[j].box)).toBe(false);
		expect(placed.length).toBeGreaterThan(10);
	});
});
