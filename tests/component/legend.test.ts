import { describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-svelte';
import type { ComponentProps } from 'svelte';
import Legend from '../../src/lib/features/map/ui/Legend.svelte';
import { parentState } from './props.svelte';

type LegendProps = ComponentProps<typeof Legend>;

/** A grid map of observed households on 2020-02-10, quantiles in five classes, as the page first shows it. */
function legendProps(overrides: Partial<LegendProps> = {}): LegendProps {
	return parentState({
		lang: 'en',
		metric: 'observed_households',
		entries: [
			{ label: '0–2', color: [255, 255, 204], count: 40 },
			{ label: '2–6', color: [253, 141, 60], count: 35 },
			{ label: '6 and more', color: [189, 0, 38], count: 20 },
			{ label: 'No data', color: [204, 204, 204], count: 4, noData: true }
		],
		date: '2020-02-10',
		level: 'grid',
		changeTitle: null,
		inProgress: false,
		unreported: 0,
		method: 'quantile',
		classCount: 5,
		normalisation: 'count',
		onmethod: vi.fn(),
		onnormalisation: vi.fn(),
		...overrides
	} as LegendProps);
}

describe('Legend', () => {
	it('titles the metric and lists each class with its colour and its count of areas', async () => {
		const screen = await render(Legend, legendProps());
		const legend = screen.getByRole('region', { name: 'Legend' });
		await expect
			.element(legend.getByRole('heading'))
			.toHaveTextContent(/^Households under home observation$/);
		const entries = screen.getByTestId('legend-entry');
		expect(entries.elements().map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
			'0–2 40 Grids',
			'2–6 35 Grids',
			'6 and more 20 Grids',
			'No data 4 Grids'
		]);
		const swatch = entries.nth(1).element().querySelector('.swatch')!;
		expect(getComputedStyle(swatch).backgroundColor).toBe('rgb(253, 141, 60)');
		await expect.element(screen.getByTestId('legend-date')).toHaveTextContent('2020-02-10');
		await expect.element(screen.getByTestId('legend-so-far')).not.toBeInTheDocument();
		await expect.element(screen.getByTestId('legend-unreported')).not.toBeInTheDocument();
	});

	it('counts areas in the unit of the level, in Chinese too, and adds the areas with no report', async () => {
		const screen = await render(
			Legend,
			legendProps({ lang: 'zh-CN', level: 'community', unreported: 3, inProgress: true })
		);
		await expect.element(screen.getByTestId('legend-entry').first()).toHaveTextContent('40 社区');
		await expect
			.element(screen.getByTestId('legend-unreported'))
			.toHaveTextContent(/当日未上报\s*3 社区/);
		await expect.element(screen.getByTestId('legend-so-far')).toHaveTextContent('（截至目前）');
	});

	it('reports a new class method, and takes a new number of classes into the bound value', async () => {
		const props = legendProps();
		const screen = await render(Legend, props);
		await screen.getByTestId('class-method').selectOptions('Natural breaks');
		expect(props.onmethod).toHaveBeenCalledExactlyOnceWith('ckmeans');
		await screen.getByTestId('class-count').selectOptions('3');
		expect(props.classCount).toBe(3);
		// The page answers with its new classes: the legend shows what it is given.
		props.entries = props.entries.slice(1);
		await expect.element(screen.getByTestId('legend-entry').first()).toHaveTextContent('2–6');
	});

	it('offers per-household and per-km² figures for a count, and titles the map with the choice', async () => {
		const props = legendProps();
		const screen = await render(Legend, props);
		await screen.getByTestId('normalisation').selectOptions('Per km²');
		expect(props.onnormalisation).toHaveBeenCalledExactlyOnceWith('per_km2');
		props.normalisation = 'per_km2';
		await expect
			.element(screen.getByRole('heading'))
			.toHaveTextContent('Households under home observation · Per km²');
		// Policy thresholds are counts of households: they cannot class a density.
		await expect.element(screen.getByRole('option', { name: 'Policy thresholds' })).toBeDisabled();
		await expect.element(screen.getByRole('option', { name: 'Quantiles' })).toBeEnabled();
	});

	it('shows no normalisation for a ratio, and fixes the number of classes under policy thresholds', async () => {
		const screen = await render(
			Legend,
			legendProps({ metric: 'screening_coverage', method: 'policy', classCount: 3 })
		);
		await expect.element(screen.getByRole('heading')).toHaveTextContent(/^Screening coverage$/);
		await expect.element(screen.getByTestId('normalisation')).not.toBeInTheDocument();
		await expect.element(screen.getByTestId('class-count')).toBeDisabled();
		await expect.element(screen.getByTestId('class-method')).toHaveValue('policy');
	});

	it('reads as change on a change map: the title says so and the class method is hidden', async () => {
		const screen = await render(
			Legend,
			legendProps({ changeTitle: 'change on 5 days before', method: 'policy' })
		);
		await expect
			.element(screen.getByRole('heading'))
			.toHaveTextContent('Households under home observation · change on 5 days before');
		await expect.element(screen.getByTestId('class-method')).not.toBeVisible();
		// The number of classes still applies to the diverging ramp, whatever the method was.
		await expect.element(screen.getByTestId('class-count')).toBeEnabled();
	});
});
