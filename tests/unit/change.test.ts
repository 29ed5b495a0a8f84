import { describe, expect, it } from 'vitest';
import { changeIsGood, describeChange } from '../../src/lib/domain/change';
import { formatCell } from '../../src/lib/map/table';

describe('day-on-day changes', () => {
	it('reads a change that rounds to nothing as no change, neither better nor worse', () => {
		// 91.30 % against 91.33 %: shown as 0.0 points, so it is "持平", not "▼ 0.0个百分点" in the worse colour.
		const tiny = describeChange(0.913, 0.9133, 'percent', 'zh-CN')!;
		expect(tiny).toEqual({ direction: 'same', size: '' });
		expect(changeIsGood(tiny, 'up')).toBeNull();
		expect(describeChange(0.9134, 0.913, 'percent', 'en')).toEqual({ direction: 'same', size: '' });
		expect(describeChange(1203.4, 1203, 'count', 'zh-CN')).toEqual({ direction: 'same', size: '' });
	});

	it('gives the rounded size and the direction, good or bad by the figure’s direction', () => {
		const up = describeChange(0.913, 0.879, 'percent', 'zh-CN')!;
		expect(up).toEqual({ direction: 'up', size: '3.4个百分点' });
		expect(changeIsGood(up, 'up')).toBe(true);
		const down = describeChange(0.913, 0.92, 'percent', 'en')!;
		expect(down).toEqual({ direction: 'down', size: '0.7 pp' });
		expect(changeIsGood(down, 'up')).toBe(false);
		expect(describeChange(1000, 2234, 'count', 'en')).toEqual({ direction: 'down', size: '1,234' });
		expect(changeIsGood(describeChange(5, 9, 'count', 'en')!, 'down')).toBe(true);
		expect(describeChange(null, 3, 'count', 'en')).toBeNull();
	});

	it('writes a change in percentage points that rounds to nothing as 0.0 in tables and CSV', () => {
		expect(formatCell(-0.0003, 'change_pp')).toBe('0.0');
		expect(formatCell(0.0004, 'change_pp')).toBe('0.0');
		expect(formatCell(-0.034, 'change_pp')).toBe('-3.4');
		expect(formatCell(0.034, 'change_pp')).toBe('+3.4');
	});
});
