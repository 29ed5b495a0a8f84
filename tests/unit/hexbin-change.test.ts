import { describe, expect, it } from 'vitest';
import { hexBin, hexGrid } from '../../src/lib/domain/hexbin';
import { LocalProjection, type LngLat } from '../../src/lib/domain/geo';
import {
	divergingColors,
	divergingScheme,
	niceStep,
	niceStepDown,
	classOf
} from '../../src/lib/domain/classify';
import { shadeChange } from '../../src/lib/map/legend';
import type { AreaFigures } from '../../src/lib/domain/metrics';

const origin: LngLat = [120.35, 30.3];

describe('hexagonal binning', () => {
	it('puts a point in the hexagon whose centre is nearest (checked by brute force over neighbours)', () => {
		const grid = hexGrid(250, origin);
		const plane = new LocalProjection(origin);
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (let i = 0; i < 2000; i++) {
			const p: LngLat = [origin[0] + (random() - 0.5) * 0.05, origin[1] + (random() - 0.5) * 0.05];
			const { q, r } = grid.cellOf(p);
			const [x, y] = plane.toLocal(p);
			const distanceTo = (qq: number, rr: number) => {
				const [cx, cy] = plane.toLocal(grid.center(qq, rr));
				return Math.hypot(x - cx, y - cy);
			};
			const own = distanceTo(q, r);
			for (const [dq, dr] of [
				[1, 0],
				[-1, 0],
				[0, 1],
				[0, -1],
				[1, -1],
				[-1, 1]
			])
				expect(own).toBeLessThanOrEqual(distanceTo(q + dq, r + dr) + 1e-6);
			expect(own).toBeLessThanOrEqual(250 + 1e-6);
		}
	});

	it('sums weights per cell, leaves out empty cells, and draws closed hexagons of the right size', () => {
		const grid = hexGrid(300, origin);
		const cells = hexBin(
			[
				{ position: origin, weight: 2 },
				{ position: [origin[0] + 0.0001, origin[1]], weight: 3 },
				{ position: [origin[0] + 0.05, origin[1]], weight: 1 },
				{ position: [origin[0] + 0.02, origin[1]], weight: 0 }
			],
			grid
		);
		expect(cells.map((c) => c.count)).toEqual([5, 1]);
		const plane = new LocalProjection(origin);
		const ring = cells[0].ring.map((p) => plane.toLocal(p));
		expect(ring).toHaveLength(7);
		expect(ring[0]).toEqual(ring[6]);
		// Area of a regular hexagon: 3√3/2 · R².
		let area = 0;
		for (let i = 0; i < 6; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
		expect(Math.abs(area / 2)).toBeCloseTo(((3 * Math.sqrt(3)) / 2) * 300 * 300, -1);
	});
});

describe('change classes', () => {
	it('picks nice steps, up and down', () => {
		expect([niceStep(3), niceStep(0.07), niceStep(10), niceStep(0)]).toEqual([5, 0.1, 10, 1]);
		expect([
			niceStepDown(3),
			niceStepDown(0.07),
			niceStepDown(10),
			niceStepDown(8),
			niceStepDown(0.3)
		]).toEqual([2, 0.05, 10, 5, 0.2]);
	});

	it('makes odd, symmetric classes around zero with the largest change in an outer class', () => {
		const scheme = divergingScheme([-12, 3, 0, 8], 5, 1);
		expect(scheme).toEqual({ breaks: [-7.5, -2.5, 2.5, 7.5], classCount: 5 });
		expect(classOf(0, scheme)).toBe(2);
		expect(classOf(-12, scheme)).toBe(0);
		expect(classOf(8, scheme)).toBe(4);
		// Three classes: anything beyond half a step is a change.
		const three = divergingScheme([4, -1], 3, 1);
		expect(three.breaks).toEqual([-2.5, 2.5]);
		expect(classOf(4, three)).toBe(2);
		expect(divergingScheme([1, 2], 4, 1).classCount).toBe(5);
		// All changes zero: the minimum step holds them in the middle class.
		const flat = divergingScheme([0, 0], 3, 0.005);
		expect(flat.breaks).toEqual([-0.0025, 0.0025]);
	});

	it('colours change for the worse orange and for the better purple, whichever way the metric runs', () => {
		const better = divergingColors(5, 'higher_is_better');
		const worse = divergingColors(5, 'higher_is_worse');
		expect(better[0]).toEqual([179, 88, 6]);
		expect(worse[0]).toEqual([84, 39, 136]);
		expect(better[2]).toEqual([247, 247, 247]);
		// Symmetric: the first step either side is equally light.
		expect(better[1]).toEqual([241, 163, 64]);
		expect(better[3]).toEqual([153, 142, 195]);
		expect(divergingColors(3, 'higher_is_better')).toEqual([
			[241, 163, 64],
			[247, 247, 247],
			[153, 142, 195]
		]);
	});

	it('shades coverage change in percentage points between two days', () => {
		const figures = (
			due: number,
			screened: number,
			code: string
		): AreaFigures & { code: string } => ({
			code,
			householdsRegistered: 100,
			residentsRegistered: 300,
			observedHouseholds: 0,
			observedPersons: 0,
			observedHouseholdsCum: 0,
			observedPersonsCum: 0,
			returneesDue: due,
			returneesScreened: screened,
			screenedToday: 0,
			personsScreenedCum: 0,
			overdueScreenings: 0,
			checkpointsOpen: 0,
			requiredShiftHours: 0,
			staffedShiftHours: 0,
			understaffedShifts: 0,
			staffOnDuty: 0
		});
		const now = [figures(100, 90, 'a'), figures(100, 50, 'b'), figures(0, 0, 'c')];
		const then = [figures(100, 60, 'a'), figures(100, 50, 'b'), figures(100, 80, 'c')];
		const shading = shadeChange('screening_coverage', now, then, 7, 'zh-CN');
		expect(shading.valueOf(now[0])).toBeCloseTo(0.3);
		expect(shading.valueOf(now[1])).toBe(0);
		expect(shading.valueOf(now[2])).toBeNull();
		expect(shading.format(0.3)).toBe('+30 个百分点');
		expect(shading.colorOf(now[0])).toEqual([84, 39, 136]);
		expect(shading.colorOf(now[1])).toEqual([247, 247, 247]);
		expect(shading.entries.at(-1)).toMatchObject({ noData: true, count: 1 });
		expect(shading.change).toEqual({ days: 7, title: '较 7 天前变化' });
	});
});
