import { describe, expect, it } from 'vitest';
import {
	countByRule,
	DEFAULT_GAP_SETTINGS,
	gapMessage,
	gapWindows,
	parseGapSettings,
	returneeOverdue,
	shiftPhrase,
	shiftWindows,
	type GapItemView
} from '../../src/lib/features/gaps/model/gaps';
import { beijingDay } from '../../src/lib/core/time';

const at = (local: string) => Date.parse(`${local}+08:00`);
const item = (over: Partial<GapItemView>): GapItemView => ({
	id: 1,
	rule: 'returnee_unscreened',
	severity: 'high',
	status: 'open',
	count: 37,
	gridCode: '0412',
	communityCode: null,
	communityName: null,
	detail: {},
	...over
});

describe('gap rule windows', () => {
	it('returnee: overdue only after more than 24 h; a date alone counts from its midnight; a screening before arrival does not count', () => {
		const arrival = { date: '2020-02-10', at: at('2020-02-10T10:30:00') };
		expect(returneeOverdue(arrival, [], at('2020-02-11T10:30:00'))).toBe(false);
		expect(returneeOverdue(arrival, [], at('2020-02-11T10:30:01'))).toBe(true);
		expect(returneeOverdue({ date: '2020-02-10' }, [], at('2020-02-11T00:00:00'))).toBe(false);
		expect(returneeOverdue({ date: '2020-02-10' }, [], at('2020-02-11T00:00:01'))).toBe(true);
		expect(returneeOverdue(arrival, [at('2020-02-10T09:00:00')], at('2020-02-12T00:00:00'))).toBe(
			true
		);
		expect(returneeOverdue(arrival, [at('2020-02-11T09:00:00')], at('2020-02-12T00:00:00'))).toBe(
			false
		);
		// A screening recorded after the moment looked at does not count yet.
		expect(returneeOverdue(arrival, [at('2020-02-12T09:00:00')], at('2020-02-12T00:00:00'))).toBe(
			true
		);
		expect(returneeOverdue(arrival, [], at('2020-02-12T10:00:00'), 48)).toBe(false);
		expect(gapWindows(at('2020-02-11T10:30:00')).arrivedBefore).toBe(
			new Date(at('2020-02-10T10:30:00')).toISOString()
		);
	});

	it('health check: due from the deadline on; the day turns at local midnight, not UTC midnight', () => {
		expect(gapWindows(at('2020-02-12T11:59:59')).healthCheckDue).toBe(false);
		expect(gapWindows(at('2020-02-12T12:00:00')).healthCheckDue).toBe(true);
		expect(gapWindows(at('2020-02-12T23:59:59')).dayStart).toBe('2020-02-11T16:00:00.000Z');
		const midnight = gapWindows(at('2020-02-13T00:00:00'));
		expect(midnight.today).toBe('2020-02-13');
		expect(midnight.healthCheckDue).toBe(false);
		expect(beijingDay(Date.parse('2020-02-12T16:00:00Z'))).toBe('2020-02-13');
		expect(
			gapWindows(at('2020-02-12T09:00:00'), { ...DEFAULT_GAP_SETTINGS, healthCheckBy: '09:00' })
				.healthCheckDue
		).toBe(true);
	});

	it('shifts: the running one, then the next 24 h; the night shift runs over midnight and belongs to the day it starts', () => {
		const describe = (now: number) =>
			shiftWindows(now, 24).map((s) => `${s.day}/${s.slot}/${s.current ? 'now' : s.severity}`);
		expect(describe(at('2020-02-12T15:00:00'))).toEqual([
			'2020-02-12/1/now',
			'2020-02-12/2/medium',
			'2020-02-13/0/low',
			'2020-02-13/1/low'
		]);
		// 01:00: the night shift that began yesterday at 22:00 is running.
		expect(describe(at('2020-02-13T01:00:00'))[0]).toBe('2020-02-12/2/now');
		// 06:00 exactly: the night shift has ended, the day shift begins.
		expect(describe(at('2020-02-13T06:00:00'))[0]).toBe('2020-02-13/0/now');
		// The horizon's end is exclusive: at 14:00 the shift starting at 14:00 tomorrow is not included.
		expect(describe(at('2020-02-12T14:00:00')).at(-1)).toBe('2020-02-13/0/low');
		expect(shiftWindows(at('2020-02-12T15:00:00'), 4)).toHaveLength(1);
	});

	it('reports: a day is checked once its cut-off has passed, and stays checked for the look-back', () => {
		expect(gapWindows(at('2020-02-12T21:59:59')).reportDays).toEqual(['2020-02-11']);
		expect(gapWindows(at('2020-02-12T22:00:00')).reportDays).toEqual(['2020-02-12', '2020-02-11']);
		expect(gapWindows(at('2020-02-13T00:00:00')).reportDays).toEqual(['2020-02-12']);
		expect(
			gapWindows(at('2020-02-13T00:00:00'), { ...DEFAULT_GAP_SETTINGS, reportLookbackDays: 3 })
				.reportDays
		).toEqual(['2020-02-12', '2020-02-11']);
	});

	it('settings: defaults, overrides, and a refusal that names the field', () => {
		expect(parseGapSettings(null)).toEqual({ settings: DEFAULT_GAP_SETTINGS });
		const parsed = parseGapSettings({
			returneeHours: 12,
			reportCutoff: '20:30',
			serviceKinds: ['garbage']
		});
		expect(parsed).toEqual({
			settings: {
				...DEFAULT_GAP_SETTINGS,
				returneeHours: 12,
				reportCutoff: '20:30',
				serviceKinds: ['garbage']
			}
		});
		expect(parseGapSettings({ healthCheckBy: '25:00' })).toMatchObject({
			error: { field: 'healthCheckBy' }
		});
		expect(parseGapSettings({ returneeHours: 0 })).toMatchObject({
			error: { field: 'returneeHours' }
		});
		expect(parseGapSettings({ serviceKinds: ['visit'] })).toMatchObject({
			error: { field: 'serviceKinds' }
		});
		expect(parseGapSettings([1])).toMatchObject({ error: { field: 'gaps' } });
	});
});

describe('gap wording', () => {
	const now = at('2020-02-28T15:00:00');
	it('says what is wrong, where, in the reader’s language', () => {
		expect(gapMessage(item({ detail: { hours: 24 } }), 'zh-CN', now)).toBe(
			'网格 0412：37 名返杭人员超过 24 小时未排查'
		);
		expect(gapMessage(item({ detail: { hours: 24 } }), 'en', now)).toBe(
			'Grid 0412: 37 returnees not screened 24 h after arrival'
		);
		const post = item({
			rule: 'checkpoint_short',
			count: 1,
			detail: {
				name: '北门',
				kind: 'gate',
				day: '2020-02-28',
				slot: 2,
				required: 2,
				staffed: 1,
				current: false
			}
		});
		expect(gapMessage(post, 'zh-CN', now)).toBe(
			'北门卡口 今晚 22:00–06:00 班次 缺 1 人（应 2 人，排班 1）'
		);
		expect(gapMessage(post, 'en', now)).toBe(
			'北门 gate post, tonight 22:00–06:00 shift: 1 short (1 of 2 rostered)'
		);
		expect(
			gapMessage(
				item({
					rule: 'report_missing',
					count: 1,
					communityName: '大北社区',
					detail: { day: '2020-02-28', cutoff: '22:00' }
				}),
				'zh-CN',
				now
			)
		).toBe('大北社区 2月28日 日报截至 22:00 未上报');
		expect(
			gapMessage(
				item({ rule: 'service_overdue', count: 3, detail: { kind: 'garbage' } }),
				'zh-CN',
				now
			)
		).toBe('网格 0412：3 户垃圾清运逾期未完成');
	});
	it('names shifts relative to today', () => {
		expect(shiftPhrase('2020-02-28', 0, now, 'zh-CN')).toBe('今天 06:00–14:00');
		expect(shiftPhrase('2020-02-29', 2, now, 'zh-CN')).toBe('明晚 22:00–06:00');
		expect(shiftPhrase('2020-02-27', 2, now, 'en')).toBe('last night 22:00–06:00');
		expect(shiftPhrase('2020-03-02', 1, now, 'zh-CN')).toBe('3月2日 14:00–22:00');
	});
});

describe('countByRule', () => {
	it('counts open items per place and rule, leaving out information and items without a place', () => {
		const items = [
			{ rule: 'returnee_unscreened', severity: 'high' as const, grid: '0101' },
			{ rule: 'returnee_unscreened', severity: 'medium' as const, grid: '0101' },
			{ rule: 'checkpoint_short', severity: 'low' as const, grid: '0101' },
			{ rule: 'observation_ending', severity: 'info' as const, grid: '0101' },
			{ rule: 'report_missing', severity: 'medium' as const, grid: null }
		];
		expect(countByRule(items, (i) => i.grid)).toEqual({
			'0101': { returnee_unscreened: 2, checkpoint_short: 1 }
		});
	});
});
