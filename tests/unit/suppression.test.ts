import { describe, expect, it } from 'vitest';
import { COUNT_FIELDS, protectCount, protectCounts } from '../../src/lib/domain/suppression';
import {
	feasibleValues,
	intervalOf,
	pinnedFigures,
	type Figure,
	type Publish
} from '../support/disclosure';

describe('counts on a wall screen', () => {
	it('shows 0 as 0, withholds 1 … k−1 and rounds k and over down to a multiple of k', () => {
		const table: [number, number, number | null][] = [
			[5, 0, 0],
			[5, 1, null],
			[5, 4, null],
			[5, 5, 5],
			[5, 7, 5],
			[5, 9, 5],
			[5, 10, 10],
			[5, 14, 10],
			[5, 15, 15],
			[5, 1234, 1230],
			[3, 2, null],
			[3, 3, 3],
			[3, 8, 6],
			[10, 99, 90]
		];
		for (const [k, value, shown] of table)
			expect(protectCount(value, k), `k=${k} value=${value}`).toBe(shown);
	});

	it('keeps counts exact when k is 0 or 1 (desk sessions, walls without a threshold)', () => {
		for (const value of [0, 1, 4, 7, 1234]) {
			expect(protectCount(value, 0)).toBe(value);
			expect(protectCount(value, 1)).toBe(value);
		}
		expect(protectCounts({ observedHouseholds: 1, observedPersons: 7 }, 1, COUNT_FIELDS)).toEqual({
			observedHouseholds: 1,
			observedPersons: 7,
			suppressed: []
		});
	});

	it('applies to the named counts only, and names what it withheld', () => {
		const out = protectCounts(
			{
				observedHouseholds: 2,
				observedPersons: 12,
				overdueScreenings: 0,
				openGaps: 3,
				requiredShiftHours: 17,
				code: '0502'
			},
			5,
			COUNT_FIELDS
		);
		expect(out).toEqual({
			observedHouseholds: null,
			observedPersons: 10,
			overdueScreenings: 0,
			openGaps: 3,
			requiredShiftHours: 17,
			code: '0502',
			suppressed: ['observedHouseholds']
		});
	});
});

/**
 * The attack of issue 16, exactly: random small hierarchies (a community the sum of its grids, a
 * grid the sum of its compounds) and random runs of days (a cumulative count the sum of the daily
 * increments, with the daily count published too or not), published the wall's way; an attacker who
 * knows every published figure enumerates all exact values consistent with them.
 */
describe('what an attacker can solve for from a wall', () => {
	let seed = 16;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	// Mostly small counts, where withheld cells are common, sometimes a few times k.
	const count = (k: number) => (random() < 0.2 ? 0 : Math.floor(random() * random() * 3 * k));

	interface System {
		leaves: number[];
		/** `unpublished`: not shown anywhere (a day's increment when only the cumulative count is). */
		figures: { name: string; leaves: number[]; unpublished?: boolean }[];
	}
	function hierarchy(k: number): System {
		const leaves: number[] = [];
		const figures: System['figures'] = [];
		const grids = 1 + Math.floor(random() * 4);
		for (let g = 0; g < grids; g++) {
			const compounds = 1 + Math.floor(random() * 3);
			const ids: number[] = [];
			for (let c = 0; c < compounds; c++) {
				figures.push({ name: `compound ${g}.${c}`, leaves: [leaves.length] });
				ids.push(leaves.length);
				leaves.push(count(k));
			}
			if (compounds > 1) figures.push({ name: `grid ${g}`, leaves: ids });
		}
		if (grids > 1) figures.push({ name: 'community', leaves: leaves.map((_, i) => i) });
		return { leaves, figures };
	}
	function days(k: number): System {
		const leaves = Array.from({ length: 2 + Math.floor(random() * 4) }, () => count(k));
		const figures: System['figures'] = leaves.map((_, t) => ({
			name: `cumulative day ${t}`,
			leaves: leaves.slice(0, t + 1).map((_, i) => i)
		}));
		const daily = random() < 0.5;
		leaves.forEach((_, t) =>
			figures.push({
				name: `${daily ? 'daily' : 'increment'} day ${t}`,
				leaves: [t],
				unpublished: !daily
			})
		);
		return { leaves, figures };
	}

	/** The attacker's problem: every figure known to lie in `range(exact value)`, each leaf 0 … 4k. */
	function problem(system: System, k: number, range: (value: number) => [number, number]) {
		const truth = system.figures.map((f) => f.leaves.reduce((s, i) => s + system.leaves[i], 0));
		const figures: Figure[] = system.figures.map((f, j) => ({
			name: f.name,
			leaves: f.leaves,
			range: f.unpublished ? [0, Infinity] : range(truth[j])
		}));
		const domains = system.leaves.map(() => Array.from({ length: 4 * k + 1 }, (_, v) => v));
		return { truth, figures, domains };
	}
	const published = (publish: Publish, k: number) => (value: number) =>
		intervalOf(publish, publish(value), k);
	/**
	 * Figures the pattern of zeros and withheld cells gives away by itself, whatever the other counts
	 * show: a withheld total W (at most k−1) with k−1 or more parts known to be non-zero (published and
	 * not 0) is k−1 ones, and so is every sum inside W. No scheme that shows 0 as 0 avoids it.
	 */
	function givenAwayByPattern(
		system: System,
		truth: number[],
		publish: Publish,
		k: number
	): Set<string> {
		const nonZeroLeaves = new Set(
			system.figures.flatMap((f, j) =>
				f.leaves.length === 1 && !f.unpublished && truth[j] > 0 ? f.leaves : []
			)
		);
		const exposed = new Set<string>();
		system.figures.forEach((w, j) => {
			if (
				w.unpublished ||
				publish(truth[j]) !== null ||
				w.leaves.filter((i) => nonZeroLeaves.has(i)).length < k - 1
			)
				return;
			for (const f of system.figures)
				if (f.leaves.every((i) => w.leaves.includes(i))) exposed.add(f.name);
		});
		return exposed;
	}
	/** The scheme before issue 16: small counts withheld, all others exact. */
	const withholdOnly =
		(k: number): Publish =>
		(value) =>
			value >= 1 && value < k ? null : value;

	/**
	 * Counts the attacker pins to one value, beyond what the pattern of zeros and withheld cells gives
	 * away by itself (a withheld total of k−1 parts each known to be non-zero is k−1 ones, whatever the
	 * scheme: see README). Withheld cells and non-zero shown counts alike.
	 */
	function pinned(publish: Publish, k: number, make: (k: number) => System, systems: number) {
		const found: string[] = [];
		let withheld = 0;
		for (let n = 0; n < systems; n++) {
			const system = make(k);
			const { truth, figures, domains } = problem(system, k, published(publish, k));
			const pins = new Set(pinnedFigures(domains, figures, truth));
			const exposed = givenAwayByPattern(system, truth, publish, k);
			system.figures.forEach((f, j) => {
				const small = publish(truth[j]) === null;
				if (small && !f.unpublished) withheld++;
				// An unpublished increment of 0 or of k and over is not a small count given away.
				if (truth[j] === 0 || !pins.has(f.name) || (f.unpublished && !small)) return;
				if (exposed.has(f.name)) return;
				found.push(`${f.name} = ${truth[j]} in ${JSON.stringify(system.leaves)}`);
			});
		}
		return { found, withheld };
	}

	// Larger k makes the exhaustive search slow; k = 5 is the default threshold of a wall link.
	for (const k of [5, 6]) {
		it(`k = ${k}: no withheld or shown count of a community, grid or compound can be solved for`, () => {
			const { found, withheld } = pinned((v) => protectCount(v, k), k, hierarchy, 120);
			expect(withheld).toBeGreaterThan(100);
			expect(found).toEqual([]);
		}, 30_000);
		it(`k = ${k}: no withheld or shown count of a run of days can be solved for, nor an increment`, () => {
			const { found, withheld } = pinned((v) => protectCount(v, k), k, days, 120);
			expect(withheld).toBeGreaterThan(50);
			expect(found).toEqual([]);
		}, 30_000);
	}

	it('the same attacker recovers withheld counts when the other counts are exact (the scheme before issue 16)', () => {
		const k = 5;
		const levels = pinned(withholdOnly(k), k, hierarchy, 120).found;
		const runs = pinned(withholdOnly(k), k, days, 120).found;
		expect(levels.length).toBeGreaterThan(20);
		expect(runs.length).toBeGreaterThan(20);
	});

	it('a withheld total of k−1 parts each known to be non-zero gives them away under any scheme (why the wall does not claim more)', () => {
		const k = 5;
		const system: System = {
			leaves: [1, 1, 1, 1],
			figures: [0, 1, 2, 3]
				.map((i) => ({ name: `grid ${i}`, leaves: [i] }))
				.concat([{ name: 'community', leaves: [0, 1, 2, 3] }])
		};
		const { figures, domains } = problem(
			system,
			k,
			published((v) => protectCount(v, k), k)
		);
		expect([...feasibleValues(domains, figures).get('grid 0')!]).toEqual([1]);
	});
});
