import { describe, expect, it } from 'vitest';
import { rampColors, divergingColors } from '../../src/lib/domain/classify';
import {
	AREA_FILL_ALPHA,
	NO_DATA_BY_THEME,
	THEME_BACKGROUND,
	WITHHELD_FILL,
	deltaE2000,
	drawnColor
} from '../../src/lib/map/palette';
import { isWithheld, shadeAreas, type ShadedArea } from '../../src/lib/map/legend';

describe('map palettes as drawn', () => {
	it('computes CIEDE2000 as published (Sharma, Wu & Dalal 2005, pairs from sRGB)', () => {
		expect(deltaE2000([255, 0, 0], [255, 0, 0])).toBe(0);
		// The audit's pair: the dark theme's lightest class against the old grey, about 7: too close.
		expect(deltaE2000([216, 203, 192], [200, 200, 200])).toBeCloseTo(7.0, 0);
		expect(deltaE2000([0, 0, 0], [255, 255, 255])).toBeCloseTo(100, 0);
	});

	for (const theme of ['light', 'dark'] as const) {
		it(`keeps every class plainly apart from no data and from withheld on the ${theme} theme (ΔE2000 ≥ 10, as drawn)`, () => {
			const background = THEME_BACKGROUND[theme];
			const noData = drawnColor(NO_DATA_BY_THEME[theme], AREA_FILL_ALPHA, background);
			const withheld = drawnColor(WITHHELD_FILL[theme], AREA_FILL_ALPHA, background);
			const palettes = [3, 4, 5, 6, 7]
				.flatMap((n) => [rampColors(n, 'higher_is_better'), rampColors(n, 'higher_is_worse')])
				.concat([3, 5, 7].map((n) => divergingColors(n, 'higher_is_better')));
			for (const colors of palettes) {
				for (const color of colors) {
					const drawn = drawnColor(color, AREA_FILL_ALPHA, background);
					expect(
						deltaE2000(drawn, noData),
						`${theme} ${color} vs no data ${noData}`
					).toBeGreaterThanOrEqual(10);
					expect(
						deltaE2000(drawn, withheld),
						`${theme} ${color} vs withheld ${withheld}`
					).toBeGreaterThanOrEqual(10);
				}
			}
			expect(deltaE2000(noData, withheld)).toBeGreaterThanOrEqual(10);
		});
	}

	it('blends as the canvas does', () => {
		// The audit measured the lightest orange on the dark wall as (216, 203, 192).
		expect(drawnColor([254, 237, 222], AREA_FILL_ALPHA, THEME_BACKGROUND.dark)).toEqual([
			216, 203, 192
		]);
	});

	it('shows a count withheld under k as withheld, not as no data', () => {
		const base = {
			householdsRegistered: 100,
			residentsRegistered: 300,
			observedHouseholds: 0,
			observedPersons: 0,
			observedHouseholdsCum: 0,
			observedPersonsCum: 0,
			returneesDue: 10,
			returneesScreened: 10,
			screenedToday: 0,
			personsScreenedCum: 0,
			overdueScreenings: 0,
			checkpointsOpen: 0,
			requiredShiftHours: 0,
			staffedShiftHours: 0,
			understaffedShifts: 0,
			staffOnDuty: 0
		};
		const hidden = {
			...base,
			code: 'A',
			observedHouseholds: null,
			suppressed: ['observedHouseholds']
		} as unknown as ShadedArea;
		const shown = {
			...base,
			code: 'B',
			observedHouseholds: 12,
			suppressed: []
		} as unknown as ShadedArea;
		expect(isWithheld('observed_households', hidden)).toBe(true);
		expect(isWithheld('screening_coverage', hidden)).toBe(false);
		const shading = shadeAreas('observed_households', [hidden, shown], 'zh-CN', {
			theme: 'dark',
			suppressBelow: 3
		});
		expect(shading.colorOf(hidden)).toEqual(WITHHELD_FILL.dark);
		expect(shading.entries.find((e) => e.withheld)).toMatchObject({
			label: '不显示（< 3）',
			count: 1
		});
		expect(shading.entries.find((e) => e.noData)).toMatchObject({
			label: '无数据',
			count: 0,
			color: NO_DATA_BY_THEME.dark
		});
	});
});
