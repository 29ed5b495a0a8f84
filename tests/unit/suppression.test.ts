import { describe, expect, it } from 'vitest';
import { COUNT_FIELDS, suppressSmallCounts } from '../../src/lib/domain/suppression';

describe('small-count suppression', () => {
	it('withholds counts 1 … k−1, keeps 0 and counts ≥ k, and names what it withheld', () => {
		const out = suppressSmallCounts({ observedHouseholds: 2, observedPersons: 5, overdueScreenings: 0, code: '0502' }, 5, COUNT_FIELDS);
		expect(out).toEqual({ observedHouseholds: null, observedPersons: 5, overdueScreenings: 0, code: '0502', suppressed: ['observedHouseholds'] });
	});

	it('does nothing when k is 0 or 1', () => {
		expect(suppressSmallCounts({ observedHouseholds: 1 }, 1, COUNT_FIELDS)).toEqual({ observedHouseholds: 1, suppressed: [] });
	});
});
