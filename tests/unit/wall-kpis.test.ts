import { describe, expect, it } from 'vitest';
import {
	computeKpis,
	describeKpiChange,
	formatKpiValue,
	type Kpi
} from '../../src/lib/features/wall/kpis';
import type { SummaryResponse, WallFigures } from '../../src/lib/features/wall/contract';

const figures = (overrides: Partial<WallFigures> = {}): WallFigures => ({
	householdsRegistered: 1000,
	residentsRegistered: 3000,
	observedHouseholds: 40,
	observedPersons: 90,
	observedHouseholdsCum: 60,
	observedPersonsCum: 120,
	returneesDue: 200,
	returneesScreened: 190,
	screenedToday: 150,
	personsScreenedCum: 2500,
	overdueScreenings: 7,
	checkpointsOpen: 5,
	requiredShiftHours: 120,
	staffedShiftHours: 110,
	understaffedShifts: 2,
	staffOnDuty: 30,
	lastReportDate: '2020-02-28',
	lastReportAt: '2020-02-28T23:30:00+08:00',
	...overrides
});

const summary = (today: WallFigures, yesterday: WallFigures | null): SummaryResponse => ({
	day: '2020-02-28',
	subdistrict: { code: 'S', name: '白杨街道', nameEn: 'Baiyang', areaKm2: 10 },
	communities: 3,
	grids: 30,
	figures: today,
	previous: yesterday,
	staffTotal: 60,
	enterprises: { total: 200, resumed: 150 },
	projects: { total: 10, resumed: 4 },
	communitiesReported: 3,
	asOf: '2020-02-28T23:30:00+08:00',
	clock: '2020-02-28T15:55:00.000Z',
	staleMinutes: 1560,
	period: { first: '2020-02-15', last: '2020-02-28' },
	suppressBelow: null
});

const byId = (kpis: Kpi[], id: string) => kpis.find((k) => k.id === id)!;

describe('wall KPI tiles', () => {
	it('makes eight tiles; a withheld count reads — and has no change figure', () => {
		const kpis = computeKpis({
			summary: summary(figures({ observedHouseholds: null }), figures()),
			trend: [],
			shiftSeries: null,
			runningShift: 'night',
			lang: 'zh-CN'
		});
		expect(kpis.map((k) => k.id)).toEqual([
			'observed-households',
			'observed-persons',
			'screened-cum',
			'screened-today',
			'coverage',
			'staffing-now',
			'on-duty',
			'enterprises'
		]);
		const households = byId(kpis, 'observed-households');
		expect(formatKpiValue(households, households.value, 'zh-CN')).toBe('—');
		expect(describeKpiChange(households, 'zh-CN')).toEqual({ text: '无对比', good: null });
		expect(byId(kpis, 'enterprises').target).toBe('共 200 家（75%）');
	});

	it('compares this shift with the same shift the day before, named by its hours', () => {
		const kpis = computeKpis({
			summary: summary(figures(), figures()),
			trend: [],
			shiftSeries: {
				date: '2020-02-28',
				shift: 'night',
				suppressBelow: null,
				days: [
					{ day: '2020-02-27', requiredStaff: 20, staffedStaff: 19 },
					{ day: '2020-02-28', requiredStaff: 20, staffedStaff: 16 }
				]
			},
			runningShift: 'night',
			lang: 'en'
		});
		const staffing = byId(kpis, 'staffing-now');
		expect(staffing.label).toBe('Checkpoint staffing, this shift 22:00–06:00');
		expect(formatKpiValue(staffing, staffing.value, 'en')).toBe('80.0%');
		expect(describeKpiChange(staffing, 'en')).toEqual({
			text: 'vs. same shift yesterday ▼ 15.0 pp',
			good: false
		});
	});

	it('reads a change that rounds to nothing as no change, in neither colour', () => {
		const kpis = computeKpis({
			summary: summary(figures(), figures()),
			trend: [],
			shiftSeries: null,
			runningShift: 'day',
			lang: 'zh-CN'
		});
		expect(describeKpiChange(byId(kpis, 'coverage'), 'zh-CN')).toEqual({
			text: '与昨日持平',
			good: null
		});
	});
});
