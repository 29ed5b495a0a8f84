import { describe, expect, it } from 'vitest';
import {
	classCounts,
	classOf,
	policyScheme,
	quantileScheme,
	rampColors,
	NO_DATA_COLOR
} from '../../src/lib/domain/classify';
import { METRICS, type AreaFigures } from '../../src/lib/domain/metrics';
import { shadeAreas } from '../../src/lib/map/legend';

describe('classification', () => {
	it('puts a value equal to a break in the upper class (≥ 95 % is green)', () => {
		const scheme = policyScheme([0.8, 0.95]);
		expect(classOf(0.79999, scheme)).toBe(0);
		expect(classOf(0.8, scheme)).toBe(1);
		expect(classOf(0.95, scheme)).toBe(2);
		expect(classOf(1, scheme)).toBe(2);
		expect(classOf(null, scheme)).toBeNull();
	});

	it('computes quantile breaks like a hand count: ten values in five classes of two', () => {
		const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		const scheme = quantileScheme(values, 5);
		// Breaks at the 20th, 40th, 60th, 80th percentile positions: values[2], [4], [6], [8].
		expect(scheme.breaks).toEqual([3, 5, 7, 9]);
		expect(classCounts(values, scheme)).toEqual([2, 2, 2, 2, 2, 0]);
	});

	it('drops duplicate quantile breaks from tied values and counts no-data separately', () => {
		const scheme = quantileScheme([0, 0, 0, 0, 0, 0, 1, 2, null], 5);
		// Eight values; positions 1, 3, 4 hold 0 (the minimum, dropped), position 6 holds 1.
		expect(scheme.breaks).toEqual([1]);
		expect(classCounts([0, 0, 0, 0, 0, 0, 1, 2, null], scheme)).toEqual([6, 2, 1]);
	});

	it('spreads ramp colours over the classes, distinct for each class', () => {
		const colors = rampColors(3, 'higher_is_better');
		expect(new Set(colors.map((c) => c.join())).size).toBe(3);
		expect(rampColors(5, 'higher_is_worse')).toHaveLength(5);
	});
});

const figures = (overrides: Partial<AreaFigures>): AreaFigures => ({
	householdsRegistered: 1000,
	residentsRegistered: 2800,
	observedHouseholds: 0,
	observedPersons: 0,
	observedHouseholdsCum: 0,
	observedPersonsCum: 0,
	returneesDue: 0,
	returneesScreened: 0,
	screenedToday: 0,
	personsScreenedCum: 0,
	overdueScreenings: 0,
	checkpointsOpen: 0,
	requiredShiftHours: 0,
	staffedShiftHours: 0,
	understaffedShifts: 0,
	staffOnDuty: 0,
	...overrides
});

describe('metrics', () => {
	it('has no coverage or staffing where nothing is due (no data, not zero)', () => {
		expect(METRICS.screening_coverage.value(figures({}))).toBeNull();
		expect(METRICS.checkpoint_staffing.value(figures({}))).toBeNull();
		expect(
			METRICS.screening_coverage.value(figures({ returneesDue: 200, returneesScreened: 150 }))
		).toBe(0.75);
		expect(
			METRICS.checkpoint_staffing.value(figures({ requiredShiftHours: 96, staffedShiftHours: 88 }))
		).toBeCloseTo(0.9167, 4);
	});

	it('builds a legend with ranges, counts per class and a no-data class', () => {
		const areas = [
			figures({ returneesDue: 10, returneesScreened: 7 }),
			figures({ returneesDue: 10, returneesScreened: 9 }),
			figures({ returneesDue: 10, returneesScreened: 10 }),
			figures({})
		];
		const shading = shadeAreas('screening_coverage', areas, 'zh-CN');
		expect(shading.entries.map((e) => [e.label, e.count])).toEqual([
			['< 80.0%', 1],
			['80.0% – < 95.0%', 1],
			['≥ 95.0%', 1],
			['无数据', 1]
		]);
		expect(shading.colorOf(areas[0])).toEqual([215, 48, 39]);
		expect(shading.colorOf(areas[3])).toEqual(NO_DATA_COLOR);
	});
});
