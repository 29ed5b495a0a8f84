import { describe, expect, it } from 'vitest';
import { isNoteText, isPlainText } from '../../src/lib/domain/text';
import { isCalendarDay } from '../../src/lib/core/time';

describe('text users send', () => {
	it('names: no control characters, no broken text', () => {
		expect(isPlainText('机关干部 1 队')).toBe(true);
		expect(isPlainText('a\u0000b')).toBe(false);
		expect(isPlainText('a\nb')).toBe(false);
		expect(isPlainText('a\u007fb')).toBe(false);
		expect(isPlainText('a\u009bb')).toBe(false);
		expect(isPlainText('a\ud800')).toBe(false);
	});

	it('notes: line breaks and tabs are fine, other control characters are not', () => {
		expect(isNoteText('已联系\n明早复查\t(王)')).toBe(true);
		expect(isNoteText('已\u0000联系')).toBe(false);
		expect(isNoteText('\u001b[31m')).toBe(false);
		expect(isNoteText('x\udc00')).toBe(false);
	});
});

describe('calendar days', () => {
	it('accepts real dates written YYYY-MM-DD only', () => {
		expect(isCalendarDay('2020-02-29')).toBe(true);
		expect(isCalendarDay('2021-02-29')).toBe(false);
		expect(isCalendarDay('2020-02-30')).toBe(false);
		expect(isCalendarDay('2020-13-01')).toBe(false);
		expect(isCalendarDay('2020-2-1')).toBe(false);
		expect(isCalendarDay('2020-02-01T00:00')).toBe(false);
		expect(isCalendarDay('')).toBe(false);
		expect(isCalendarDay('0000-01-01')).toBe(false);
		expect(isCalendarDay('0001-01-01')).toBe(true);
	});
});
