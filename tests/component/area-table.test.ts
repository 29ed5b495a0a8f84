import { describe, expect, it, vi } from 'vitest';
import { render, type RenderResult } from 'vitest-browser-svelte';
import { userEvent } from 'vitest/browser';
import type { ComponentProps } from 'svelte';
import AreaTable from '../../src/lib/features/map/ui/AreaTable.svelte';
import type { AreaFigures } from '$lib/domain/metrics';
import type { Lang } from '$lib/core/i18n';
import { shadeAreas, type ShadedArea } from '$lib/map/legend';
import { buildAreaTable, type TableArea } from '$lib/map/table';
import { parentState } from './props.svelte';

type AreaTableProps = ComponentProps<typeof AreaTable>;

function figures(returneesDue: number, returneesScreened: number, residents: number): AreaFigures {
	return {
		householdsRegistered: Math.round(residents / 2.5),
		residentsRegistered: residents,
		observedHouseholds: 0,
		observedPersons: 0,
		observedHouseholdsCum: 0,
		observedPersonsCum: 0,
		returneesDue,
		returneesScreened,
		screenedToday: 0,
		personsScreenedCum: 0,
		overdueScreenings: returneesDue - returneesScreened,
		checkpointsOpen: 0,
		requiredShiftHours: 0,
		staffedShiftHours: 0,
		understaffedShifts: 0,
		staffOnDuty: 0
	};
}

/** Four grids' screening coverage: 96 %, 60 %, none due (no data) and 83.3 %, in code order. */
const AREAS: (TableArea & ShadedArea)[] = [
	{ code: '0101', name: 'East Bay 1', ...figures(100, 96, 2400) },
	{ code: '0102', name: 'East Bay 2', ...figures(50, 30, 980) },
	{ code: '0103', name: 'Ash Lane', ...figures(0, 0, 310) },
	{ code: '0104', name: 'Willow Court', ...figures(1200, 1000, 12345) }
];

/** The table the page builds for the map (the same helpers the page and the exports use). */
function tableProps(lang: Lang, overrides: Partial<AreaTableProps> = {}): AreaTableProps {
	const shading = shadeAreas('screening_coverage', AREAS, lang);
	const table = buildAreaTable('screening_coverage', AREAS, shading, lang, 'Grids on 2020-02-28');
	return parentState({
		lang,
		table,
		shading,
		selectedCode: null,
		colorOfCode: (code: string) => shading.colorOf(AREAS.find((a) => a.code === code)!),
		onselect: vi.fn(),
		onclose: vi.fn(),
		...overrides
	} as AreaTableProps);
}

/**
 * A column's header cell, found by its sort button. (Vitest's locators give a `th` without `scope`
 * the role `cell` where Playwright and Chromium's accessibility tree say `columnheader`, so neither
 * a role query nor a locator made from the element finds it.)
 */
const header = (screen: RenderResult<typeof AreaTable>, name: RegExp) =>
	screen.getByRole('button', { name }).element().closest('th')!;

const rowCodes = (root: HTMLElement) =>
	[...root.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-code'));

describe('AreaTable', () => {
	it('shows each area with its value as the map formats it, its class, and counts with thousands separators', async () => {
		const props = tableProps('en');
		const screen = await render(AreaTable, props);
		const table = screen.getByRole('region', { name: 'Table' });
		await expect.element(table.getByRole('heading')).toHaveTextContent('Grids on 2020-02-28');
		expect([...screen.container.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
			'Code ▲',
			'Name',
			'Screening coverage',
			'Class',
			'Registered households',
			'Registered residents',
			'Observed households',
			'Observed persons',
			'Returnees due',
			'Returnees screened',
			'Unscreened over 24 h',
			'Required shift-hours',
			'Staffed shift-hours',
			'Understaffed shifts'
		]);
		expect(rowCodes(screen.container)).toEqual(['0101', '0102', '0103', '0104']);
		const cells = (code: string) =>
			[...screen.container.querySelectorAll(`tr[data-code="${code}"] > *`)].map((cell) =>
				cell.textContent?.trim()
			);
		expect(cells('0104').slice(0, 6)).toEqual([
			'0104',
			'Willow Court',
			'83.3%',
			'80.0% – < 95.0%',
			'4,938',
			'12,345'
		]);
		expect(cells('0103').slice(2, 4)).toEqual(['no data', 'No data']);
		// The value's swatch is the area's colour on the map.
		const swatch = screen.container.querySelector('tr[data-code="0102"] .swatch')!;
		const [r, g, b] = props.colorOfCode('0102');
		expect(getComputedStyle(swatch).backgroundColor).toBe(`rgb(${r}, ${g}, ${b})`);
	});

	it('sorts by the value, worst first for coverage on the second click, areas without data always last', async () => {
		const screen = await render(AreaTable, tableProps('en'));
		const valueButton = screen.getByRole('button', { name: /Screening coverage/ });
		await valueButton.click();
		// The value column sorts high to low first: the largest figures are what a reader looks for.
		expect(rowCodes(screen.container)).toEqual(['0101', '0104', '0102', '0103']);
		expect(header(screen, /Screening coverage/)).toHaveAttribute('aria-sort', 'descending');
		await expect.element(valueButton).toHaveTextContent('Screening coverage ▼');
		expect(header(screen, /Code/)).toHaveAttribute('aria-sort', 'none');
		await valueButton.click();
		expect(rowCodes(screen.container)).toEqual(['0102', '0104', '0101', '0103']);
		expect(header(screen, /Screening coverage/)).toHaveAttribute('aria-sort', 'ascending');
		// Text sorts in the reader's language, ascending first.
		await screen.getByRole('button', { name: 'Name' }).click();
		expect(rowCodes(screen.container)).toEqual(['0103', '0101', '0102', '0104']);
	});

	it('selects an area by its code, by mouse or keyboard, marks the selected row, and closes', async () => {
		const props = tableProps('en');
		const screen = await render(AreaTable, props);
		await screen.getByRole('button', { name: '0102' }).click();
		expect(props.onselect).toHaveBeenCalledExactlyOnceWith('0102');
		props.selectedCode = '0102';
		await expect
			.element(screen.getByRole('button', { name: '0102' }))
			.toHaveAttribute('aria-pressed', 'true');
		await expect
			.element(screen.getByRole('button', { name: '0101' }))
			.toHaveAttribute('aria-pressed', 'false');
		(screen.getByRole('button', { name: '0104' }).element() as HTMLElement).focus();
		await userEvent.keyboard('{Enter}');
		expect(props.onselect).toHaveBeenLastCalledWith('0104');
		await screen.getByRole('button', { name: 'Close table' }).click();
		expect(props.onclose).toHaveBeenCalledOnce();
	});

	it('reads in Chinese, with the same separators', async () => {
		const screen = await render(AreaTable, tableProps('zh-CN'));
		await expect.element(screen.getByRole('region', { name: '数据表' })).toBeVisible();
		await expect.element(screen.getByRole('button', { name: '关闭数据表' })).toBeVisible();
		expect(header(screen, /登记人口/)).toHaveAttribute('aria-sort', 'none');
		const row = screen.container.querySelector('tr[data-code="0103"]')!;
		expect(row.textContent).toContain('无数据');
		expect(screen.container.querySelector('tr[data-code="0104"]')!.textContent).toContain('12,345');
	});
});
