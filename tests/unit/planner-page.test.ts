import { describe, expect, it } from 'vitest';
import type { PlanResponse, ScenarioSummary } from '../../src/lib/features/planner/contract';
import {
	applyBlocked,
	difference,
	localTime,
	percent,
	scenarioState,
	shiftLabel,
	staleReason
} from '../../src/lib/features/planner/format';
import {
	leftColor,
	legendLabel,
	LEFT_COLORS,
	peopleLeftByGrid
} from '../../src/lib/features/planner/plan-map';
import { PlanForm } from '../../src/lib/features/planner/plan-form.svelte';
import { words } from '../../src/lib/core/i18n';

const zh = words('zh-CN');
const en = words('en');

const scenario = (over: Partial<ScenarioSummary> = {}): ScenarioSummary => ({
	id: 7,
	name: '今晚增援',
	createdBy: 'demo-planner',
	asOf: '2020-02-28T15:55:00.000Z',
	horizon: 'day',
	objective: 'weighted',
	figures: {
		poolPeople: 50,
		sent: 12,
		wanted: 20,
		unmetPeople: 8,
		weightedUnmet: 16,
		km: 30.5,
		worstGridShortfall: 0.5,
		gridsReached: 3,
		greedy: { unmetPeople: 9, weightedUnmet: 20, km: 41 }
	},
	appliedAt: null,
	appliedBy: null,
	stale: null,
	...over
});

describe('the planner page in words', () => {
	it('names a checkpoint shift by its Beijing day and hours, compactly; grid work has no shift', () => {
		expect(shiftLabel('2020-02-28:2')).toBe('02-28 22–06');
		expect(shiftLabel('2020-02-29:0')).toBe('02-29 06–14');
		expect(shiftLabel('2020-02-29:1')).toBe('02-29 14–22');
		expect(shiftLabel(null)).toBe('');
	});

	it('shows instants on the Beijing clock', () => {
		expect(localTime('2020-02-28T15:55:00.000Z')).toBe('02-28 23:55');
	});

	it('compares the optimised figure with the baseline to a tenth', () => {
		expect(difference(3, 3, zh)).toBe('相同');
		expect(difference(2, 3.64, zh)).toBe('少 1.6');
		expect(difference(5, 2, en)).toBe('3 more');
		expect(difference(30.5, 41, en)).toBe('10.5 less');
		expect(percent(0.254)).toBe('25%');
	});

	it('says why a draft cannot be applied: superseded, a shift over, or no one sent', () => {
		expect(staleReason(scenario(), zh)).toBeNull();
		expect(applyBlocked(scenario(), zh)).toBeNull();
		const superseded = scenario({ stale: { reason: 'superseded', by: '方案 3' } });
		expect(staleReason(superseded, zh)).toContain('方案“方案 3”已执行');
		expect(applyBlocked(superseded, en)).toContain('plan "方案 3" was applied after this one');
		const ended = scenario({ stale: { reason: 'shift_ended', endedAt: '2020-02-28T22:00:00Z' } });
		expect(staleReason(ended, zh)).toContain('已于 02-29 06:00 结束');
		const none = scenario({ figures: { ...scenario().figures, sent: 0 } });
		expect(applyBlocked(none, en)).toBe('Nothing to apply: this plan sends no one.');
		// Out of date comes first: making the plan again is what helps.
		expect(applyBlocked({ ...none, stale: superseded.stale }, zh)).toContain('请重新计算');
	});

	it("lists a scenario's state: applied when, out of date, or a draft", () => {
		expect(scenarioState(scenario(), zh)).toBe('草稿');
		expect(scenarioState(scenario({ stale: { reason: 'superseded', by: 'x' } }), en)).toBe(
			'out of date'
		);
		expect(scenarioState(scenario({ appliedAt: '2020-02-28T15:55:00Z' }), zh)).toBe(
			'已执行 02-28 23:55'
		);
	});
});

describe("the planner's map", () => {
	const plan: Pick<PlanResponse, 'needs' | 'optimised'> = {
		needs: [
			{
				id: 'N1',
				gridCode: 'G1',
				checkpointCode: 'C1',
				shift: '2020-02-28:2',
				skill: 'gate',
				people: 4,
				weight: 3,
				position: [120, 30]
			},
			{
				id: 'N2',
				gridCode: 'G1',
				checkpointCode: null,
				shift: null,
				skill: 'screening',
				people: 2,
				weight: 1,
				position: [120, 30]
			},
			{
				id: 'N3',
				gridCode: 'G2',
				checkpointCode: null,
				shift: null,
				skill: 'observation',
				people: 7,
				weight: 2,
				position: [120, 30]
			}
		],
		optimised: {
			assignments: [],
			unmet: { N1: 1, N3: 7 },
			unmetPeople: 8,
			weightedUnmet: 17,
			km: 0,
			worstGridShortfall: 1,
			stats: { arcs: 0, ms: 0 }
		}
	};

	it('counts people wanted per grid before the plan, and what it leaves after', () => {
		expect(peopleLeftByGrid(plan, 'before')).toEqual({ G1: 6, G2: 7 });
		expect(peopleLeftByGrid(plan, 'after')).toEqual({ G1: 1, G2: 7 });
		expect(peopleLeftByGrid(null, 'after')).toEqual({});
	});

	it('colours and labels five classes: 0, 1–2, 3–5, 6–9, ≥ 10', () => {
		expect(LEFT_COLORS).toHaveLength(5);
		expect([0, 1, 2, 3, 4].map(legendLabel)).toEqual(['0', '1–2', '3–5', '6–9', '≥ 10']);
		expect([0, 1, 2, 3, 5, 6, 9, 10, 99].map((n) => LEFT_COLORS.indexOf(leftColor(n)))).toEqual([
			0, 1, 1, 2, 2, 3, 3, 4, 4
		]);
		expect(leftColor(undefined)).toBe(LEFT_COLORS[0]);
	});
});

describe('the plan form', () => {
	it('starts with the cadres and volunteers at the first community, and becomes the request body', () => {
		const form = new PlanForm('330114002001');
		expect(form.pool.map((p) => p.staging)).toEqual(['subdistrict', '330114002001']);
		form.addUnit('队伍 3');
		form.removeUnit(0);
		form.name = '  ';
		form.maxPerGrid = 0;
		expect(form.body()).toEqual({
			name: null,
			pool: [
				{ name: '志愿者突击队', people: 20, staging: '330114002001', skills: ['gate'] },
				{ name: '队伍 3', people: 10, staging: 'subdistrict', skills: [] }
			],
			horizon: 'day',
			objective: 'weighted',
			maxPerGrid: null,
			keepUnitsTogether: false
		});
		expect(new PlanForm(undefined).pool[1].staging).toBe('subdistrict');
	});

	it("takes a saved scenario's request again", () => {
		const form = new PlanForm(undefined);
		form.fill({
			name: 'x',
			pool: [{ name: 'A', people: 3, staging: 'subdistrict', skills: [] }],
			horizon: 'shift',
			options: { objective: 'fairest', maxPerGrid: 4, keepUnitsTogether: true },
			norms: { screeningsPerWorker: 30, householdsPerWorker: 10 }
		});
		form.name = ' 明早 ';
		expect(form.body()).toMatchObject({
			name: '明早',
			horizon: 'shift',
			objective: 'fairest',
			maxPerGrid: 4,
			keepUnitsTogether: true
		});
	});
});
