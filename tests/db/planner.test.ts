import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { withScope } from '../../src/lib/server/db/scope';
import { syncGaps } from '../../src/lib/server/gaps';
import { parsePlanRequest, planReinforcements } from '../../src/lib/server/planner/plan';
import { haversineKm, PlanInputError } from '../../src/lib/domain/planner';
import { testDb } from './database';

const NOW = Date.parse('2020-02-28T23:55:00+08:00');

describe('reinforcement plan from the open gaps', () => {
	let db: Db;
	let subdistrictId: number;
	beforeAll(async () => {
		db = await testDb();
		[{ id: subdistrictId }] = await db.query<{ id: number }>(`SELECT id FROM subdistrict WHERE code = '330114002'`);
		await db.transaction((tx) => syncGaps(tx, subdistrictId, NOW));
	});
	const asPlanner = <T>(work: Parameters<typeof withScope<T>>[2]) => withScope(db, { subdistrictId, personScope: 'none', gridIds: [] }, work);

	it('derives needs from the gaps, travels by PostGIS distances, and does at least as well as greedy', async () => {
		const request = parsePlanRequest({
			pool: [
				{ name: '街道机关', people: 30, staging: 'subdistrict', skills: [] },
				{ name: '大北志愿者', people: 12, staging: '330114002002', skills: ['gate'] }
			],
			horizon: 'day'
		});
		const plan = await asPlanner((tx) => planReinforcements(tx, subdistrictId, NOW, request, 'zh-CN'));
		expect(plan.needs.length).toBeGreaterThan(5);
		expect(plan.needs.some((n) => n.skill === 'gate')).toBe(true);
		expect(plan.needs.some((n) => n.skill === 'screening')).toBe(true);
		// 42 people: everyone placed when the need is larger, unless skills or places forbid.
		const wanted = plan.needs.reduce((s, n) => s + n.people, 0);
		const placed = plan.optimised.assignments.reduce((s, a) => s + a.people, 0);
		expect(placed).toBe(wanted - plan.optimised.unmetPeople);
		expect(placed).toBeLessThanOrEqual(42);
		expect(plan.optimised.weightedUnmet).toBeLessThanOrEqual(plan.greedy.weightedUnmet);
		if (plan.optimised.weightedUnmet === plan.greedy.weightedUnmet) expect(plan.optimised.km).toBeLessThanOrEqual(plan.greedy.km + 1e-6);
		// Travel is the geography distance: within half a percent of the great-circle distance.
		for (const a of plan.optimised.assignments.slice(0, 10)) {
			const unit = plan.units.find((u) => u.id === a.unitId)!;
			const need = plan.needs.find((n) => n.id === a.needId)!;
			expect(Math.abs(a.km - haversineKm(unit.staging, need.position))).toBeLessThan(0.005 * a.km + 0.01);
		}
		// Gate-only volunteers only stand at checkpoints.
		for (const a of plan.optimised.assignments.filter((x) => x.unitId === 'U2')) expect(plan.needs.find((n) => n.id === a.needId)!.skill).toBe('gate');
		expect(plan.grids.every((g) => g.reason.length > 0 && g.optimised <= g.wanted)).toBe(true);
	});

	it('"next shift" asks for fewer checkpoint people than "next day"; a pool larger than the need leaves nothing unmet', async () => {
		const big = { pool: [{ name: '大队', people: 5000, staging: 'subdistrict', skills: [] }] };
		const day = await asPlanner((tx) => planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ ...big, horizon: 'day' }), 'en'));
		const shift = await asPlanner((tx) => planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ ...big, horizon: 'shift' }), 'en'));
		const gate = (p: typeof day) => p.needs.filter((n) => n.skill === 'gate').reduce((s, n) => s + n.people, 0);
		expect(gate(shift)).toBeLessThan(gate(day));
		expect(day.optimised.unmetPeople).toBe(0);
		expect(day.grids.every((g) => g.reason.endsWith('all covered'))).toBe(true);
	});

	it('refuses bad requests by row and field', async () => {
		const refuse = (body: unknown) => {
			try {
				parsePlanRequest(body);
			} catch (e) {
				expect(e).toBeInstanceOf(PlanInputError);
				return (e as PlanInputError).zh;
			}
			return 'accepted';
		};
		expect(refuse({ pool: [{ people: 3, staging: 'subdistrict' }, { people: -1, staging: 'subdistrict' }] })).toMatch(/pool\[2\]\.people/);
		expect(refuse({ pool: [{ people: 3, staging: 'somewhere' }] })).toMatch(/pool\[1\]\.staging/);
		expect(refuse({ pool: [{ people: 3, staging: 'subdistrict', skills: ['cooking'] }] })).toMatch(/pool\[1\]\.skills/);
		expect(refuse({ pool: [], horizon: 'week' })).toMatch(/horizon/);
		expect(refuse({ pool: Array.from({ length: 201 }, () => ({ people: 1, staging: 'subdistrict' })) })).toMatch(/最多 200 支队伍/);
		expect(refuse({ pool: [], maxPerGrid: 0 })).toMatch(/maxPerGrid/);
		await expect(asPlanner((tx) => planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ pool: [] }), 'zh-CN'))).rejects.toThrow(/人员池为空/);
		await expect(asPlanner((tx) => planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ pool: [{ people: 3, staging: '330114009999' }] }), 'zh-CN'))).rejects.toThrow(/没有社区/);
	});
});
