import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { userEvent } from 'vitest/browser';
import PoolTable from '../../src/lib/features/planner/ui/PoolTable.svelte';
import PlanOptions from '../../src/lib/features/planner/ui/PlanOptions.svelte';
import { PlanForm } from '../../src/lib/features/planner/plan-form.svelte';
import { words } from '../../src/lib/core/i18n';

const COMMUNITIES = [
	{ code: '330114002001', name: '东湾社区', nameEn: 'Dongwan' },
	{ code: '330114002002', name: '景苑社区', nameEn: 'Jingyuan' }
];
const en = words('en');
const zh = words('zh-CN');

/** The planner's form (pool and options) on one PlanForm, as the planner page composes it. */
async function mountForm(lang: 'en' | 'zh-CN') {
	const form = new PlanForm(COMMUNITIES[0].code);
	const pool = await render(PoolTable, { form, lang, communities: COMMUNITIES });
	const options = await render(PlanOptions, { form, lang });
	return { form, pool, options };
}

describe('the planner form (pool table and options)', () => {
	it('starts from the subdistrict cadres and volunteers at the first community, named in Chinese in either language', async () => {
		const { form, pool } = await mountForm('en');
		await expect
			.poll(() => pool.container.querySelectorAll('[data-testid="pool-row"]').length)
			.toBe(2);
		expect(form.body().pool).toEqual([
			{ name: zh.planner_default_unit_cadres(), people: 30, staging: 'subdistrict', skills: [] },
			{
				name: zh.planner_default_unit_volunteers(),
				people: 20,
				staging: '330114002001',
				skills: ['gate']
			}
		]);
		// Staging places in the page's language: the office, then each community in pinyin.
		const staging = pool.container.querySelector<HTMLSelectElement>(
			'[data-testid="pool-staging"]'
		)!;
		expect([...staging.options].map((o) => o.textContent?.trim())).toEqual([
			en.planner_subdistrict_office(),
			'Dongwan',
			'Jingyuan'
		]);
	});

	it('adds, edits and removes units; what is typed is what is sent', async () => {
		const { form, pool } = await mountForm('en');
		await userEvent.click(pool.getByTestId('pool-add'));
		await expect.poll(() => form.pool.length).toBe(3);
		expect(form.pool[2]).toEqual({
			name: en.planner_unit_numbered({ n: 3 }),
			people: 10,
			staging: 'subdistrict',
			skills: []
		});
		const people = pool.getByTestId('pool-people').nth(2);
		await userEvent.clear(people);
		await userEvent.type(people, '25');
		await userEvent.selectOptions(pool.getByTestId('pool-staging').nth(2), '330114002002');
		await userEvent.click(
			pool.getByRole('checkbox', { name: en.planner_skill_screening() }).nth(2)
		);
		await expect
			.poll(() => form.body().pool[2])
			.toEqual({
				name: en.planner_unit_numbered({ n: 3 }),
				people: 25,
				staging: '330114002002',
				skills: ['screening']
			});
		// Removing the first unit keeps the others, in order.
		await userEvent.click(pool.getByRole('button', { name: en.planner_remove_unit() }).first());
		await expect.poll(() => form.body().pool.map((u) => u.people)).toEqual([20, 25]);
	});

	it('sends the options as chosen: horizon, objective, a limit per grid (empty: none), units kept together, a trimmed name', async () => {
		const { form, options } = await mountForm('zh-CN');
		expect(form.body()).toMatchObject({
			horizon: 'day',
			objective: 'weighted',
			maxPerGrid: null,
			keepUnitsTogether: false,
			name: null
		});
		await userEvent.click(options.getByRole('radio', { name: zh.planner_horizon_shift() }));
		await userEvent.click(options.getByRole('radio', { name: zh.planner_objective_fairest() }));
		await userEvent.type(
			options.getByRole('spinbutton', { name: zh.planner_most_per_grid() }),
			'4'
		);
		await userEvent.click(
			options.getByRole('checkbox', { name: zh.planner_keep_units_together() })
		);
		await userEvent.type(options.getByTestId('plan-name'), '  夜班加强  ');
		await expect
			.poll(() => form.body())
			.toMatchObject({
				horizon: 'shift',
				objective: 'fairest',
				maxPerGrid: 4,
				keepUnitsTogether: true,
				name: '夜班加强'
			});
		// An emptied limit is no limit, not 0.
		await userEvent.clear(options.getByRole('spinbutton', { name: zh.planner_most_per_grid() }));
		await expect.poll(() => form.body().maxPerGrid).toBeNull();
	});
});
