import { describe, expect, it } from 'vitest';
import {
	communitiesWithGaps,
	DEFAULT_SCENES,
	expandScenes,
	parseScenes,
	parseSeconds,
	worstAreas,
	type CommunityFigures
} from '../../src/lib/features/wall/scenes';
import { shiftAt } from '../../src/lib/core/time';

const community = (
	code: string,
	due: number,
	screened: number,
	required: number,
	staffed: number,
	reported = '2020-02-28'
): CommunityFigures => ({
	code,
	name: `${code}社区`,
	nameEn: code,
	lastReportDate: reported,
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
	checkpointsOpen: 1,
	requiredShiftHours: required,
	staffedShiftHours: staffed,
	understaffedShifts: 0,
	staffOnDuty: 0
});

describe('wall scenes', () => {
	it('reads the scene list and duration from the address, defaulting and naming what it does not know', () => {
		expect(parseScenes(null).scenes).toEqual(DEFAULT_SCENES);
		expect(parseScenes('screening_coverage,gaps,bogus')).toEqual({
			scenes: [{ kind: 'metric', metric: 'screening_coverage' }, { kind: 'gaps' }],
			unknown: ['bogus']
		});
		expect(parseSeconds('30')).toBe(30);
		expect(parseSeconds('2')).toBe(20);
		expect(parseSeconds('abc')).toBe(20);
	});

	it('finds communities below the green thresholds or without a report, worst first, with a reason', () => {
		const gaps = communitiesWithGaps(
			[
				community('A', 100, 99, 100, 100),
				community('B', 100, 70, 100, 100),
				community('C', 100, 97, 100, 90),
				community('D', 100, 100, 100, 100, '2020-02-27')
			],
			'2020-02-28'
		);
		expect(gaps.map((g) => (g as { code: string }).code)).toEqual(['B', 'C', 'D']);
		expect(gaps[0]).toMatchObject({ metric: 'screening_coverage', reason: '排查覆盖率 70.0%' });
		expect(gaps[1]).toMatchObject({
			metric: 'checkpoint_staffing',
			reason: '卡口在岗率（全天） 90.0%'
		});
		expect(gaps[2]).toMatchObject({ reason: '当日未上报' });
		// Exactly at the threshold is not a gap.
		expect(communitiesWithGaps([community('E', 100, 95, 100, 95)], '2020-02-28')).toEqual([]);
		expect(
			expandScenes(DEFAULT_SCENES, [community('B', 100, 70, 100, 100)], '2020-02-28')
		).toHaveLength(4);
	});

	it('knows which checkpoint shift is running, including the night shift after midnight', () => {
		const at = (iso: string) => shiftAt(Date.parse(iso));
		expect(at('2020-02-28T05:59:00+08:00')).toEqual({ day: '2020-02-27', shift: 'night' });
		expect(at('2020-02-28T06:00:00+08:00')).toEqual({ day: '2020-02-28', shift: 'day' });
		expect(at('2020-02-28T14:00:00+08:00')).toEqual({ day: '2020-02-28', shift: 'evening' });
		expect(at('2020-02-28T22:00:00+08:00')).toEqual({ day: '2020-02-28', shift: 'night' });
		expect(at('2020-02-29T00:30:00+08:00')).toEqual({ day: '2020-02-28', shift: 'night' });
	});

	it('ranks the worst areas by the metric’s direction', () => {
		const areas = [
			community('A', 100, 99, 0, 0),
			community('B', 100, 70, 0, 0),
			community('C', 0, 0, 0, 0)
		];
		expect(worstAreas(areas, 'screening_coverage', 2).map((x) => x.area.code)).toEqual(['B', 'A']);
	});
});
