import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	apportion,
	beijingTime,
	generateDemo,
	syntheticIdNumber
} from '../../src/lib/server/demo/generate';
import { addDays } from '../../src/lib/core/time';

describe('demo generator', () => {
	it('is deterministic: byte-identical output on every run', () => {
		const hash = () => createHash('sha256').update(JSON.stringify(generateDemo())).digest('hex');
		expect(hash()).toBe(hash());
	}, 120_000);

	it('differs for another seed', () => {
		expect(generateDemo(1).grids[0].ring).not.toEqual(generateDemo(2).grids[0].ring);
	}, 120_000);

	it('apportions a total by weights with a minimum', () => {
		expect(apportion([1, 1, 2], 8, 0)).toEqual([2, 2, 4]);
		const shares = apportion([5, 1, 1, 1], 99, 2);
		expect(shares.reduce((a, b) => a + b, 0)).toBe(99);
		expect(Math.min(...shares)).toBeGreaterThanOrEqual(2);
	});

	it('does Beijing-time day arithmetic across months and midnight', () => {
		expect(addDays('2020-01-31', 1)).toBe('2020-02-01');
		expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
		expect(beijingTime('2020-02-28', 22 * 60)).toBe('2020-02-28T22:00:00+08:00');
		expect(beijingTime('2020-02-28', 30 * 60)).toBe('2020-02-29T06:00:00+08:00');
	});
});

describe('synthetic ID numbers', () => {
	it('are well-formed GB 11643 numbers of 钱塘区 with a valid check character, distinct per person', () => {
		const ids = Array.from({ length: 2000 }, (_, i) => syntheticIdNumber(i + 1));
		expect(new Set(ids).size).toBe(ids.length);
		const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
		for (const id of ids.slice(0, 50)) {
			expect(id).toMatch(/^330114(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}[\dX]$/);
			const sum = [...id.slice(0, 17)].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
			expect(id[17]).toBe('10X98765432'[sum % 11]);
		}
	});
});
