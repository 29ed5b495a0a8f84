import { describe, expect, it } from 'vitest';
import {
	dispatchRows,
	greedyPlan,
	haversineKm,
	lessRostered,
	parseNorms,
	PlanInputError,
	type Need,
	type PlanOptions,
	type Unit
} from '../../src/lib/features/planner/model/planner';
import { solvePlan } from '../../src/lib/features/planner/server/solve.server';

const O: PlanOptions = { maxPerGrid: null, keepUnitsTogether: false, objective: 'weighted' };
const need = (id: string, grid: string, people: number, over: Partial<Need> = {}): Need => ({
	id,
	gridCode: grid,
	checkpointCode: null,
	shift: null,
	skill: 'gate',
	people,
	weight: 1,
	position: [120.35, 30.3],
	...over
});
const unit = (id: string, people: number, over: Partial<Unit> = {}): Unit => ({
	id,
	name: id,
	people,
	skills: [],
	staging: [120.35, 30.3],
	...over
});
/** Distances given as a table, so optima are known exactly. */
const table = (km: Record<string, number>) => (u: Unit, n: Need) => km[`${u.id}-${n.id}`] ?? 99;

describe('reinforcement planner: small cases with a known optimum', () => {
	it('covers both needs where the greedy dispatcher leaves one open (skills)', async () => {
		const needs = [
			need('a', 'G1', 1, { weight: 3 }),
			need('b', 'G2', 1, { weight: 3, skill: 'screening' })
		];
		const units = [unit('u1', 1), unit('u2', 1, { skills: ['gate'] })];
		const km = table({ 'u1-a': 1, 'u1-b': 2, 'u2-a': 5, 'u2-b': 99 });
		const greedy = greedyPlan(needs, units, O, km);
		expect(greedy.unmetPeople).toBe(1);
		const best = await solvePlan(needs, units, O, km);
		expect(best.unmetPeople).toBe(0);
		expect(best.km).toBe(7);
		expect(best.assignments.map((a) => `${a.unitId}>${a.needId}`).sort()).toEqual(['u1>b', 'u2>a']);
	});

	it('fills the most severe need first, then travels least', async () => {
		const needs = [need('urgent', 'G1', 2, { weight: 3 }), need('routine', 'G2', 2, { weight: 1 })];
		const units = [unit('near', 2), unit('far', 1)];
		const km = table({ 'near-urgent': 4, 'near-routine': 1, 'far-urgent': 2, 'far-routine': 3 });
		const best = await solvePlan(needs, units, O, km);
		// 3 people, 4 wanted: the urgent need is filled; the third person goes to the routine need.
		expect(best.unmet).toEqual({ urgent: 0, routine: 1 });
		expect(best.weightedUnmet).toBe(1);
		// Least travel with that: far→urgent (2), near→urgent (4), near→routine (1) = 7.
		expect(best.km).toBe(7);
	});

	it('holds the most per grid', async () => {
		const needs = [need('a', 'G1', 3), need('b', 'G1', 3), need('c', 'G2', 1)];
		const best = await solvePlan(needs, [unit('u', 10)], { ...O, maxPerGrid: 4 });
		expect(best.unmet.a + best.unmet.b).toBe(2);
		expect(best.unmet.c).toBe(0);
		expect(greedyPlan(needs, [unit('u', 10)], { ...O, maxPerGrid: 4 }).unmetPeople).toBe(2);
	});

	it('keeps a unit together when asked', async () => {
		const needs = [need('x', 'GX', 2), need('y', 'GY', 2)];
		const units = [unit('team', 4)];
		const km = table({ 'team-x': 1, 'team-y': 2 });
		expect((await solvePlan(needs, units, O, km)).unmetPeople).toBe(0);
		const together = await solvePlan(needs, units, { ...O, keepUnitsTogether: true }, km);
		expect(together.unmet).toEqual({ x: 0, y: 2 });
		expect(together.km).toBe(2);
	});

	it('"fairest" shares a short pool so that no grid is left far behind', async () => {
		const needs = [need('x', 'GX', 2, { weight: 3 }), need('y', 'GY', 2, { weight: 1 })];
		const units = [unit('u', 2)];
		const weighted = await solvePlan(needs, units, O);
		expect(weighted.unmet).toEqual({ x: 0, y: 2 });
		expect(weighted.worstGridShortfall).toBe(1);
		const fairest = await solvePlan(needs, units, { ...O, objective: 'fairest' });
		expect(fairest.unmet).toEqual({ x: 1, y: 1 });
		expect(fairest.worstGridShortfall).toBe(0.5);
	});

	it('"fairest" still sends the whole pool when some grid must go without (more grids than people)', async () => {
		const needs = [
			need('a', 'GA', 1, { weight: 3 }),
			need('b', 'GB', 1, { weight: 2 }),
			need('c', 'GC', 1, { weight: 1 })
		];
		const fairest = await solvePlan(needs, [unit('u', 2)], { ...O, objective: 'fairest' });
		// The worst ratio is 1 whatever is done; among such plans, the least weighted unmet need.
		expect(fairest.worstGridShortfall).toBe(1);
		expect(fairest.unmet).toEqual({ a: 0, b: 0, c: 1 });
		expect(fairest.weightedUnmet).toBe(1);
	});

	it('never does worse than the greedy baseline on random cases', async () => {
		let seed = 7;
		const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let trial = 0; trial < 15; trial++) {
			const needs = Array.from({ length: 6 }, (_, j) =>
				need(`n${j}`, `G${j % 3}`, 1 + Math.floor(rnd() * 3), {
					weight: 1 + Math.floor(rnd() * 3),
					skill: rnd() < 0.5 ? 'gate' : 'screening',
					position: [120.3 + rnd() * 0.1, 30.25 + rnd() * 0.1]
				})
			);
			const units = Array.from({ length: 4 }, (_, i) =>
				unit(`u${i}`, 1 + Math.floor(rnd() * 4), {
					skills: rnd() < 0.5 ? [] : [rnd() < 0.5 ? 'gate' : 'screening'],
					staging: [120.3 + rnd() * 0.1, 30.25 + rnd() * 0.1]
				})
			);
			let greedy;
			try {
				greedy = greedyPlan(needs, units, O);
			} catch (e) {
				expect(e).toBeInstanceOf(PlanInputError);
				continue;
			}
			const best = await solvePlan(needs, units, O);
			expect(best.weightedUnmet).toBeLessThanOrEqual(greedy.weightedUnmet);
			if (best.weightedUnmet === greedy.weightedUnmet)
				expect(best.km).toBeLessThanOrEqual(greedy.km + 1e-6);
			// Each person at most once; no need over-filled.
			for (const u of units)
				expect(
					best.assignments.filter((a) => a.unitId === u.id).reduce((s, a) => s + a.people, 0)
				).toBeLessThanOrEqual(u.people);
			for (const n of needs)
				expect(
					best.assignments.filter((a) => a.needId === n.id).reduce((s, a) => s + a.people, 0)
				).toBeLessThanOrEqual(n.people);
		}
	});

	it('says clearly when there is nothing to plan', async () => {
		await expect(solvePlan([need('a', 'G', 1)], [], O)).rejects.toThrow(/人员池为空/);
		await expect(solvePlan([need('a', 'G', 0)], [unit('u', 3)], O)).rejects.toThrow(
			/没有需要增援的缺口/
		);
		await expect(
			solvePlan(
				[need('a', 'G', 1, { skill: 'observation' })],
				[unit('u', 3, { skills: ['gate'] })],
				O
			)
		).rejects.toThrow(/技能.*不匹配/);
		await expect(
			solvePlan([need('a', 'G', 1)], [unit('u', 3)], { ...O, maxPerGrid: 0 })
		).rejects.toThrow(/每个网格上限/);
	});

	it('measures travel on the sphere', () => {
		// 杭州电子科技大学 to 浙江工商大学, about 4.1 km apart.
		expect(haversineKm([120.3426, 30.3133], [120.3846, 30.3109])).toBeCloseTo(4.04, 1);
	});
});

describe('needs from the gaps', () => {
	it('turns short shifts into gate duty and workload into screeners and observation workers by the norms', async () => {
		const { needsFromGaps } = await import('../../src/lib/features/planner/model/planner');
		const positions = {
			checkpoints: new Map<string, [number, number]>([['K001', [120.34, 30.31]]]),
			grids: new Map<string, [number, number]>([['0101', [120.35, 30.3]]])
		};
		const needs = needsFromGaps(
			[
				{
					rule: 'checkpoint_short',
					severity: 'high',
					count: 2,
					gridCode: '0101',
					detail: { checkpoint: 'K001', day: '2020-02-28', slot: 2 }
				},
				{
					rule: 'checkpoint_short',
					severity: 'low',
					count: 1,
					gridCode: '0101',
					detail: { checkpoint: 'K001', day: '2020-02-29', slot: 1 }
				},
				{ rule: 'returnee_unscreened', severity: 'high', count: 31, gridCode: '0101', detail: {} },
				{ rule: 'health_check_missing', severity: 'high', count: 4, gridCode: '0101', detail: {} },
				{ rule: 'service_overdue', severity: 'medium', count: 7, gridCode: '0101', detail: {} },
				{ rule: 'observation_ending', severity: 'info', count: 5, gridCode: '0101', detail: {} },
				{ rule: 'report_missing', severity: 'medium', count: 1, gridCode: null, detail: {} }
			],
			positions,
			{ screeningsPerWorker: 30, householdsPerWorker: 10 },
			(day) => day === '2020-02-28'
		);
		expect(needs.map((n) => `${n.id} ${n.skill} ${n.people}×${n.weight}`)).toEqual([
			'checkpoint:K001:2020-02-28:2 gate 2×3',
			'grid:0101:screening screening 2×3',
			'grid:0101:observation observation 2×3'
		]);
	});
});

describe('dispatch rows and norms', () => {
	const local = (day: string, minutes: number) =>
		Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000;
	const localDayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
	const needs: Need[] = [
		{
			id: 'c',
			gridCode: '0101',
			checkpointCode: 'CP1',
			shift: '2020-02-29:2',
			skill: 'gate',
			people: 2,
			weight: 3,
			position: [0, 0]
		},
		{
			id: 'g',
			gridCode: '0102',
			checkpointCode: null,
			shift: null,
			skill: 'screening',
			people: 1,
			weight: 2,
			position: [0, 0]
		}
	];
	const units: Unit[] = [{ id: 'U1', name: '机关', people: 5, skills: [], staging: [0, 0] }];
	const assignments = [
		{ unitId: 'U1', needId: 'c', people: 2, km: 1.5 },
		{ unitId: 'U1', needId: 'g', people: 1, km: 2 },
		{ unitId: 'U1', needId: 'g', people: 0, km: 2 }
	];

	it('puts gate duty on its shift and grid work on the next day shift not yet over', () => {
		const late = dispatchRows(
			{ needs, units, assignments },
			Date.parse('2020-02-28T23:55:00+08:00'),
			local,
			localDayOf
		);
		expect(late).toHaveLength(2);
		expect(late[0]).toMatchObject({
			unit: '机关',
			duty: 'gate',
			grid: '0101',
			checkpoint: 'CP1',
			people: 2,
			startsAt: Date.parse('2020-02-29T22:00:00+08:00'),
			endsAt: Date.parse('2020-03-01T06:00:00+08:00')
		});
		expect(late[1]).toMatchObject({
			duty: 'screening',
			checkpoint: null,
			startsAt: Date.parse('2020-02-29T06:00:00+08:00'),
			endsAt: Date.parse('2020-02-29T14:00:00+08:00')
		});
		// Grid work joins the running day shift while 4 hours of it remain, else waits for the next morning.
		expect(
			dispatchRows(
				{ needs, units, assignments },
				Date.parse('2020-02-29T09:00:00+08:00'),
				local,
				localDayOf
			)[1].startsAt
		).toBe(Date.parse('2020-02-29T06:00:00+08:00'));
		expect(
			dispatchRows(
				{ needs, units, assignments },
				Date.parse('2020-02-29T10:30:00+08:00'),
				local,
				localDayOf
			)[1].startsAt
		).toBe(Date.parse('2020-03-01T06:00:00+08:00'));
		expect(
			dispatchRows(
				{ needs, units, assignments },
				Date.parse('2020-02-29T14:00:00+08:00'),
				local,
				localDayOf
			)[1].startsAt
		).toBe(Date.parse('2020-03-01T06:00:00+08:00'));
	});

	it('takes off the people already rostered: the running shift’s and the grids’, not a later shift’s', () => {
		const now = Date.parse('2020-02-28T23:55:00+08:00');
		const start = (shift: string) =>
			local(shift.split(':')[0], (6 + 8 * Number(shift.split(':')[1])) * 60);
		const all: Need[] = [
			{ ...needs[0], id: 'now', shift: '2020-02-28:2', people: 3 },
			{ ...needs[0], id: 'later', shift: '2020-02-29:0', people: 1 },
			{ ...needs[1], id: 'grid', people: 2 }
		];
		const rostered = [
			{
				gridCode: '0101',
				checkpointCode: 'CP1',
				duty: 'gate' as const,
				startsAt: Date.parse('2020-02-28T22:00:00+08:00'),
				n: 2
			},
			{
				gridCode: '0101',
				checkpointCode: 'CP1',
				duty: 'gate' as const,
				startsAt: Date.parse('2020-02-29T06:00:00+08:00'),
				n: 1
			},
			{
				gridCode: '0102',
				checkpointCode: null,
				duty: 'screening' as const,
				startsAt: Date.parse('2020-02-29T06:00:00+08:00'),
				n: 2
			},
			{
				gridCode: '0102',
				checkpointCode: null,
				duty: 'observation' as const,
				startsAt: Date.parse('2020-02-29T06:00:00+08:00'),
				n: 5
			}
		];
		expect(lessRostered(all, rostered, now, start).map((n) => [n.id, n.people])).toEqual([
			['now', 1],
			['later', 1]
		]);
	});

	it('reads norms with the field that is wrong', () => {
		expect(parseNorms({ screeningsPerWorker: 40 })).toEqual({
			norms: { screeningsPerWorker: 40, householdsPerWorker: 10 }
		});
		expect(parseNorms(null, { screeningsPerWorker: 25, householdsPerWorker: 8 })).toEqual({
			norms: { screeningsPerWorker: 25, householdsPerWorker: 8 }
		});
		expect(parseNorms({ householdsPerWorker: 0 })).toMatchObject({
			error: { field: 'householdsPerWorker' }
		});
		expect(parseNorms({ screeningsPerWorker: '30' })).toMatchObject({
			error: { field: 'screeningsPerWorker' }
		});
		expect(parseNorms([1])).toMatchObject({ error: { field: 'norms' } });
	});
});
