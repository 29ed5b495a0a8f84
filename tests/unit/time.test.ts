import { describe, expect, it } from 'vitest';
import {
	addDays,
	beijingClock,
	beijingDateTime,
	beijingDay,
	beijingInstant,
	beijingMonthDayClock,
	beijingWallDate,
	daysBetween,
	SHIFT_SLOTS,
	shiftAt,
	shiftStart,
	slotStart
} from '../../src/lib/core/time';

describe('Beijing time', () => {
	it('reads an instant on the Beijing clock, across UTC midnight', () => {
		const ms = Date.parse('2020-02-28T16:30:00Z'); // 00:30 on 29 Feb in Beijing
		expect(beijingDay(ms)).toBe('2020-02-29');
		expect(beijingClock(ms)).toBe('00:30');
		expect(beijingDateTime(ms)).toBe('2020-02-29 00:30');
		expect(beijingMonthDayClock(ms)).toBe('02-29 00:30');
		expect(beijingWallDate(ms).toISOString()).toBe('2020-02-29T00:30:00.000Z');
		expect(beijingInstant('2020-02-29', 30)).toBe(ms);
	});

	it('counts calendar days over month and year ends', () => {
		expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
		expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
		expect(addDays('2019-12-31', 1)).toBe('2020-01-01');
		expect(daysBetween('2020-01-25', '2020-02-28')).toBe(34);
		expect(daysBetween('2020-02-28', '2020-02-27')).toBe(-1);
	});

	it('starts the three shifts at 06:00, 14:00 and 22:00, the night shift on the day it begins', () => {
		expect(SHIFT_SLOTS.map((s) => s.startHour)).toEqual([6, 14, 22]);
		expect(slotStart('2020-02-28', 2)).toBe(Date.parse('2020-02-28T22:00:00+08:00'));
		expect(shiftStart('2020-02-28', 'evening')).toBe(slotStart('2020-02-28', 1));
		expect(shiftAt(Date.parse('2020-02-29T05:59:59+08:00'))).toEqual({
			day: '2020-02-28',
			shift: 'night'
		});
		expect(shiftAt(Date.parse('2020-02-29T06:00:00+08:00'))).toEqual({
			day: '2020-02-29',
			shift: 'day'
		});
		expect(shiftAt(Date.parse('2020-02-29T22:00:00+08:00'))).toEqual({
			day: '2020-02-29',
			shift: 'night'
		});
	});
});
