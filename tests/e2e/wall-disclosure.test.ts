import { describe, expect, inject, it } from 'vitest';
import { Client } from '../support/http';
import {
	COMPOUND_COUNT_FIELDS,
	COUNT_FIELDS,
	protectCount
} from '../../src/lib/domain/suppression';
import { intervalOf, tightenIntervals, type SumRelation } from '../support/disclosure';

/**
 * Issue 16's audit, against the running app: with a wall link (k = 5) on the demo's 28 February, take
 * what a wall session can fetch (communities and grids on 26–28 February, the subdistrict summary,
 * the 14-day trend, every grid's compounds) and try to subtract figures back into exact counts:
 * community minus its other grids, grid minus its other compounds, subdistrict minus its other
 * communities, cumulative day t+1 minus day t, repeated to a fixpoint. Which figures are sums of
 * which is checked on a signed-in session's exact figures first, so the attacker is not guessing.
 */
const K = 5;
const DAYS = ['2020-02-26', '2020-02-27', '2020-02-28'];
// Staff on duty counts distinct people (no sum of grids); the others add up level by level.
const FIELDS = COUNT_FIELDS.filter((f) => f !== 'staffOnDuty');
const CUMULATIVE = ['observedHouseholdsCum', 'observedPersonsCum', 'personsScreenedCum'];

type Figures = Record<string, number | null>;
interface Area {
	properties: Figures & { code: string; communityCode: string };
}

/** Every count a session sees, by name (`C<code>/<day>/<field>`, …), and the sums between them. */
async function collect(client: Client) {
	const seen = new Map<string, number | null>();
	const sums: SumRelation[] = [];
	const getJson = async (path: string) => {
		const response = await client.get(path);
		expect(response.status, path).toBe(200);
		return response.json();
	};
	for (const day of DAYS) {
		const summary = await getJson(`/api/summary?date=${day}`);
		const communities = (await getJson(`/api/areas?level=community&date=${day}`))
			.features as Area[];
		const grids = (await getJson(`/api/areas?level=grid&date=${day}`)).features as Area[];
		for (const field of FIELDS) {
			seen.set(`S/${day}/${field}`, summary.figures[field]);
			for (const c of communities)
				seen.set(`C${c.properties.code}/${day}/${field}`, c.properties[field]);
			for (const g of grids) seen.set(`G${g.properties.code}/${day}/${field}`, g.properties[field]);
			sums.push({
				total: `S/${day}/${field}`,
				parts: communities.map((c) => `C${c.properties.code}/${day}/${field}`)
			});
			for (const c of communities) {
				const own = grids.filter((g) => g.properties.communityCode === c.properties.code);
				sums.push({
					total: `C${c.properties.code}/${day}/${field}`,
					parts: own.map((g) => `G${g.properties.code}/${day}/${field}`)
				});
			}
		}
		if (day !== DAYS.at(-1)) continue;
		for (const g of grids) {
			const detail = await getJson(`/api/grid-detail?grid=${g.properties.code}&date=${day}`);
			const compounds = detail.compounds as { properties: Figures & { code: string } }[];
			if (!compounds.length) continue;
			for (const field of COMPOUND_COUNT_FIELDS) {
				for (const cp of compounds)
					seen.set(
						`P${cp.properties.code}@${g.properties.code}/${day}/${field}`,
						cp.properties[field]
					);
				// Buildings outside any compound make up the rest of the grid: unknown to a wall, at least 0.
				sums.push({
					total: `G${g.properties.code}/${day}/${field}`,
					parts: [
						...compounds.map((cp) => `P${cp.properties.code}@${g.properties.code}/${day}/${field}`),
						`rest@${g.properties.code}/${day}/${field}`
					]
				});
			}
		}
	}
	const trend = (await getJson(`/api/trend?date=${DAYS.at(-1)}&days=14`)).days as (Figures & {
		day: string;
	})[];
	for (const d of trend) for (const field of FIELDS) seen.set(`S/${d.day}/${field}`, d[field]);
	// Cumulative counts: day t is day t−1 plus that day's increment (never shown on its own).
	for (const field of CUMULATIVE) {
		const series = [...seen.keys()]
			.filter((n) => n.endsWith(`/${field}`))
			.map((n) => n.split('/')[0]);
		for (const place of new Set(series)) {
			const days = [...seen.keys()]
				.filter((n) => n.startsWith(`${place}/`) && n.endsWith(`/${field}`))
				.map((n) => n.split('/')[1])
				.sort();
			for (let i = 1; i < days.length; i++)
				sums.push({
					total: `${place}/${days[i]}/${field}`,
					parts: [`${place}/${days[i - 1]}/${field}`, `increment@${place}/${days[i]}/${field}`]
				});
		}
	}
	return { seen, sums };
}

describe('a wall link cannot be subtracted back into exact counts', () => {
	it(
		'with k = 5 on 28 February: no withheld count, increment or exact count is recovered; every shown count is 0 or a multiple of k',
		{ timeout: 240_000 },
		async () => {
			const baseUrl = inject('baseUrl');
			const admin = new Client(baseUrl);
			await admin.signInAsDemo('demo-admin');
			const created = await (
				await admin.postForm('/admin/wall?/create', { label: '审计 k=5', suppressBelow: String(K) })
			).text();
			const token = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)?.[1];
			expect(token).toBeDefined();
			const wall = new Client(baseUrl);
			expect((await wall.get(`/api/summary?wall_token=${token}`)).status).toBe(200);
			const desk = new Client(baseUrl);
			await desk.signInAsDemo('demo-leader');

			const shown = await collect(wall);
			const exact = await collect(desk);
			expect([...shown.seen.keys()].sort()).toEqual([...exact.seen.keys()].sort());

			// The exact values of the unknowns (what buildings outside compounds and each day add), and the
			// sums that hold exactly: those are what the attacker may use.
			const truth = new Map<string, number>();
			for (const [name, value] of exact.seen) truth.set(name, value as number);
			for (const { total, parts } of exact.sums) {
				const unknown = parts.find((p) => !exact.seen.has(p));
				if (unknown)
					truth.set(
						unknown,
						truth.get(total)! -
							parts.filter((p) => p !== unknown).reduce((s, p) => s + truth.get(p)!, 0)
					);
			}
			const holds = exact.sums.filter(
				({ total, parts }) => truth.get(total) === parts.reduce((s, p) => s + truth.get(p)!, 0)
			);
			expect(holds.length).toBeGreaterThan(0.95 * exact.sums.length);

			// What the wall serves: every count 0, withheld, or a multiple of k no smaller than k, as protectCount makes it.
			let withheld = 0;
			const start = new Map<string, [number, number]>();
			for (const [name, value] of shown.seen) {
				expect(
					value === 0 || value === null || (value >= K && value % K === 0),
					`${name} = ${value}`
				).toBe(true);
				expect(value, name).toBe(protectCount(truth.get(name)!, K));
				if (value === null) withheld++;
				start.set(
					name,
					intervalOf((v) => protectCount(v, K), value, K)
				);
			}
			expect(withheld).toBeGreaterThan(100);

			const box = tightenIntervals(start, holds);
			const recovered: string[] = [];
			for (const [name, value] of truth) {
				const [lo, hi] = box.get(name) ?? [0, Infinity];
				expect(value >= lo && value <= hi, `${name} = ${value} outside [${lo}, ${hi}]`).toBe(true);
				if (lo !== hi) continue;
				const small = value >= 1 && value < K;
				if (name.startsWith('increment@') ? small : name.startsWith('rest@') ? false : value !== 0)
					recovered.push(`${name} = ${value}`);
			}
			expect(recovered).toEqual([]);

			// The same attacker, on the same figures shown as before issue 16 (small counts withheld, others exact), recovers many.
			const before = new Map<string, [number, number]>();
			for (const [name, value] of shown.seen) {
				const exactValue = truth.get(name)!;
				before.set(name, value === null ? [1, K - 1] : [exactValue, exactValue]);
			}
			const old = tightenIntervals(before, holds);
			const oldRecovered = [...truth].filter(
				([name, value]) =>
					value >= 1 &&
					value < K &&
					!name.startsWith('rest@') &&
					old.get(name)?.[0] === old.get(name)?.[1]
			);
			expect(oldRecovered.length).toBeGreaterThan(30);
		}
	);
});
