import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, type PageWatch } from './browser';
import {
	blend,
	distance,
	mapPixels,
	openMapAsLeader,
	project,
	screenPointOf,
	waitForRender
} from './map-support';
import { HEXAGON_RAMP, STATUS_COLORS } from '../../src/lib/map/layers';
import { readPngText } from '../../src/lib/domain/png-text';
import { METRICS } from '../../src/lib/domain/metrics';
import { labelPoint } from '../../src/lib/map/map-helpers';
import type { Feature, Geometry, MultiPolygon } from 'geojson';

const baseUrl = inject('baseUrl');

type Grid = {
	id: string;
	geometry: Geometry;
	properties: {
		code: string;
		communityCode: string;
		returneesDue: number;
		returneesScreened: number;
		observedHouseholds: number;
		residentsRegistered: number;
	};
};
/** Screen points inside an area: its label point and the points halfway from it to each corner of its largest ring. */
async function interiorPoints(page: Page, feature: Grid): Promise<{ x: number; y: number }[]> {
	const [cx, cy] = labelPoint(feature as unknown as Feature);
	const g = feature.geometry as MultiPolygon;
	const ring = g.coordinates.map((p) => p[0]).reduce((a, b) => (b.length > a.length ? b : a));
	const step = Math.max(1, Math.floor(ring.length / 12));
	const positions: [number, number][] = [
		[cx, cy],
		...ring
			.filter((_, i) => i % step === 0)
			.map(([x, y]) => [(cx + x) / 2, (cy + y) / 2] as [number, number])
	];
	return Promise.all(positions.map((p) => project(page, p)));
}
const coverage = (g: Grid) => g.properties.returneesScreened / g.properties.returneesDue;
const PURPLES = [
	[84, 39, 136],
	[153, 142, 195],
	[216, 218, 235]
];
const ORANGES = [
	[179, 88, 6],
	[241, 163, 64],
	[254, 224, 182]
];

describe('map controls', () => {
	let browser: Browser;
	let page: Page;
	let watch: PageWatch;

	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});
	afterEach(async () => {
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);
		await page.close();
	});

	async function open(path = '/', viewport = { width: 1280, height: 800 }) {
		({ page, watch } = await openMapAsLeader(browser, baseUrl, path, viewport));
	}
	const grids = async (date: string): Promise<Grid[]> =>
		(await (await page.request.get(`${baseUrl}/api/areas?level=grid&date=${date}`)).json())
			.features;
	const legendDate = () => page.locator('[data-testid="legend-date"]').textContent();
	const legendTotal = async () =>
		(await page.locator('[data-testid="legend-entry"] .count').allTextContents()).reduce(
			(s, t) => s + parseInt(t, 10),
			0
		);

	it('moves through time with the slider (keyboard) and plays day by day, pausing on request', async () => {
		await open('/?metric=screening_coverage&date=2020-02-20');
		const slider = page.locator('[data-testid="date-slider"]');
		await slider.focus();
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		await waitForRender(page, '2020-02-18');
		expect(await legendDate()).toBe('2020-02-18');
		expect(page.url()).toContain('date=2020-02-18');
		await page.locator('[data-testid="play"]').click();
		await page.waitForFunction(
			() =>
				(document.querySelector('[data-testid="legend-date"]')?.textContent ?? '') >= '2020-02-20',
			null,
			{ timeout: 15_000 }
		);
		await page.locator('[data-testid="play"]').click();
		expect(await page.locator('[data-testid="play"]').getAttribute('aria-pressed')).toBe('false');
		const stopped = await legendDate();
		await page.waitForTimeout(2500);
		expect(await legendDate()).toBe(stopped);
	});

	it('compares with N days ago as a change map in a diverging ramp, coloured by the direction of change', async () => {
		await open('/?metric=screening_coverage&date=2020-02-10');
		await page.locator('[data-testid="compare"]').check();
		await page.locator('[data-testid="compare-days"]').fill('5');
		await page.locator('[data-testid="compare-days"]').press('Tab');
		await waitForRender(page, 'screening_coverage', '2020-02-10', '5:2020-02-05');
		expect(await page.locator('[data-testid="legend"] h2').textContent()).toContain(
			'较 5 天前变化 (2020-02-05)'
		);
		expect(page.url()).toContain('compare=5');
		const now = await grids('2020-02-10');
		const then = new Map((await grids('2020-02-05')).map((g) => [g.id, g]));
		const change = (g: Grid) => coverage(g) - coverage(then.get(g.id)!);
		const up = now.reduce((a, b) => (change(a) > change(b) ? a : b));
		const down = now.reduce((a, b) => (change(a) < change(b) ? a : b));
		expect(change(up)).toBeGreaterThan(0.01);
		expect(change(down)).toBeLessThan(-0.01);
		const pixels = await mapPixels(page);
		// Sample inside the grid (label point and halfway to each corner), past any label drawn on top.
		const near = async (id: string, palette: number[][]) => {
			const points = await interiorPoints(
				page,
				now.find((g) => g.id === id)!
			);
			return Math.min(
				...points.flatMap((p) => palette.map((c) => distance(pixels.at(p.x, p.y), blend(c))))
			);
		};
		// Coverage is "higher is better": a rise is purple, a fall orange.
		expect(await near(up.id, PURPLES)).toBeLessThan(12);
		expect(await near(down.id, ORANGES)).toBeLessThan(12);
		expect(await near(up.id, ORANGES)).toBeGreaterThan(40);
		// The numbers behind the colours: the table's value column holds the change.
		await page.locator('[data-testid="table-toggle"]').click();
		const row = page.locator(`[data-testid="area-table"] tr[data-code="${up.id}"] td.value`);
		expect(await row.textContent()).toContain(
			`+${(change(up) * 100).toFixed(1).replace(/\.0$/, '')}`
		);
	});

	it('drills from the subdistrict to a community, a grid and its compounds and buildings, and back by breadcrumb and Escape', async () => {
		await open('/?metric=observed_households&level=community&date=2020-02-10');
		const point = await screenPointOf(page, baseUrl, '330114002002', 'community', '2020-02-10');
		const box = (await page.locator('[data-testid="map"]').boundingBox())!;
		await page.mouse.click(box.x + point.x, box.y + point.y);
		await page.locator('[data-testid="drill"]').click();
		const crumbs = page.locator('[data-testid="breadcrumb"] li');
		await expect.poll(() => crumbs.allTextContents()).toEqual(['白杨街道', '大北社区']);
		expect(page.url()).toContain('drill=330114002002');
		const members = (await grids('2020-02-10')).filter(
			(g) => g.properties.communityCode === '330114002002'
		);
		await waitForRender(page, '|grid|', '330114002002');
		expect(await legendTotal()).toBe(members.length);
		await expect
			.poll(() =>
				page.evaluate(() =>
					(window as unknown as { gridwatchMap: { getZoom(): number } }).gridwatchMap.getZoom()
				)
			)
			.toBeGreaterThan(13);

		// Into grid 0202 from the table (keyboard), then its drill button.
		await page.locator('[data-testid="table-toggle"]').click();
		await page.locator('[data-testid="area-table"] tr[data-code="0202"] th button').focus();
		await page.keyboard.press('Enter');
		await page.locator('[data-testid="drill"]').click();
		await expect
			.poll(() => crumbs.allTextContents())
			.toEqual(['白杨街道', '大北社区', '网格 0202']);
		await waitForRender(page, '|compound|', '0202');
		const detail = await (
			await page.request.get(`${baseUrl}/api/grid-detail?grid=0202&date=2020-02-10`)
		).json();
		expect(detail.compounds.length).toBeGreaterThan(0);
		expect(await legendTotal()).toBe(detail.compounds.length);
		expect(
			await page.locator('[data-testid="legend-entry"] .count').first().textContent()
		).toContain('小区');
		// Buildings are drawn as points: a building outside any compound is painted, not background.
		await page.waitForTimeout(1200);
		const building = (
			detail.buildings as { compoundCode: string | null; position: [number, number] }[]
		).find((b) => b.compoundCode === null)!;
		const at = await project(page, building.position);
		const pixels = await mapPixels(page);
		expect(distance(pixels.at(at.x, at.y), [0xe9, 0xed, 0xf1])).toBeGreaterThan(30);

		await page.locator('[data-testid="breadcrumb"] button', { hasText: '大北社区' }).click();
		await expect.poll(() => crumbs.allTextContents()).toEqual(['白杨街道', '大北社区']);
		await page.locator('[data-testid="area-panel"] button[aria-label="关闭"]').click();
		await page.locator('body').press('Escape');
		await expect.poll(() => crumbs.allTextContents()).toEqual(['白杨街道']);
		expect(page.url()).not.toContain('drill=');
		// A double click on an area drills into it too.
		await page.waitForTimeout(1200);
		const again = await screenPointOf(page, baseUrl, '330114002002', 'community', '2020-02-10');
		await page.mouse.dblclick(box.x + again.x, box.y + again.y);
		await expect.poll(() => crumbs.allTextContents()).toEqual(['白杨街道', '大北社区']);
	});

	it('finds a grid, a community and a compound by search and flies there with it selected', async () => {
		await open('/?metric=screening_coverage');
		const search = page.locator('[data-testid="search"]');
		await search.fill('0502');
		await page.locator('[data-testid="search-results"]').waitFor();
		await search.press('Enter');
		await expect
			.poll(() => page.locator('[data-testid="area-panel"] .code').textContent())
			.toContain('0502');
		expect(await page.locator('[data-testid="breadcrumb"] li').allTextContents()).toEqual([
			'白杨街道',
			'邻里社区'
		]);

		await search.fill('清雅苑');
		await page.locator('[data-testid="search-results"]').waitFor();
		await search.press('Enter');
		await expect
			.poll(() => page.locator('[data-testid="area-panel"] h2').textContent())
			.toBe('清雅苑');
		const crumbs = await page.locator('[data-testid="breadcrumb"] li').allTextContents();
		expect(crumbs[0]).toBe('白杨街道');
		expect(crumbs[2]).toMatch(/^网格 \d{4}$/);
		expect(crumbs[3]).toBe('清雅苑');
		await page.waitForTimeout(1200);
		const center = await page.evaluate(() =>
			(
				window as unknown as { gridwatchMap: { getCenter(): { lng: number; lat: number } } }
			).gridwatchMap.getCenter()
		);
		const places = (await (await page.request.get(`${baseUrl}/api/places`)).json()).places as {
			name: string;
			bbox: number[];
		}[];
		const [w, s, e, n] = places.find((p) => p.name === '清雅苑')!.bbox;
		expect(center.lng).toBeGreaterThan(w - 0.003);
		expect(center.lng).toBeLessThan(e + 0.003);
		expect(center.lat).toBeGreaterThan(s - 0.003);
		expect(center.lat).toBeLessThan(n + 0.003);
	});

	it('shows checkpoints coloured by staffing for the chosen shift, resumption layers, hexagons, grid codes and 3D', async () => {
		await open('/?metric=checkpoint_staffing&date=2020-02-20');
		await page.locator('[data-testid="layer-checkpoints"]').check();
		await page.locator('[data-testid="layer-shift"]').selectOption('night');
		const api = (
			await (
				await page.request.get(`${baseUrl}/api/layers/checkpoints?date=2020-02-20&shift=night`)
			).json()
		).checkpoints as {
			status: string;
			kind: string;
			position: [number, number];
		}[];
		await expect
			.poll(() => page.locator('[data-testid="checkpoint-key"] b').allTextContents())
			.toEqual(
				['full', 'short', 'empty', 'not_held'].map((s) =>
					String(api.filter((c) => c.status === s).length)
				)
			);
		await waitForRender(page, '2020-02-20');
		// Zoomed in on one post of each status (gates and road posts stand alone), its centre shows its status colour.
		for (const status of ['empty', 'short', 'full'] as const) {
			const color = STATUS_COLORS[status];
			const post = api.find((c) => c.status === status && c.kind !== 'building')!;
			expect(post, status).toBeDefined();
			await page.evaluate(
				(center) =>
					(window as unknown as { gridwatchMap: { jumpTo(o: object): void } }).gridwatchMap.jumpTo({
						center,
						zoom: 17
					}),
				post.position
			);
			await page.waitForTimeout(700);
			const p = await project(page, post.position);
			const pixels = await mapPixels(page);
			expect(distance(pixels.at(p.x, p.y), [...color]), status).toBeLessThan(30);
		}
		// Day shift: the same posts, the day shift's numbers.
		await page.locator('[data-testid="layer-shift"]').selectOption('day');
		await expect.poll(() => page.url()).toContain('shift=day');
		const dayShift = (
			await (
				await page.request.get(`${baseUrl}/api/layers/checkpoints?date=2020-02-20&shift=day`)
			).json()
		).checkpoints as { status: string }[];
		const dayCounts = ['full', 'short', 'empty', 'not_held'].map((s) =>
			String(dayShift.filter((c) => c.status === s).length)
		);
		expect(dayCounts).not.toEqual(
			['full', 'short', 'empty', 'not_held'].map((s) =>
				String(api.filter((c) => c.status === s).length)
			)
		);
		await expect
			.poll(() => page.locator('[data-testid="checkpoint-key"] b').allTextContents())
			.toEqual(dayCounts);

		await page.locator('[data-testid="layer-enterprises"]').check();
		await page.locator('[data-testid="layer-projects"]').check();
		await page.locator('[data-testid="layer-observed"]').check();
		const enterprises = (
			await (await page.request.get(`${baseUrl}/api/layers/enterprises?date=2020-02-20`)).json()
		).enterprises as { resumed: boolean }[];
		await expect
			.poll(() => page.locator('[data-testid="layers"]').textContent())
			.toContain(`已复工 ${enterprises.filter((x) => x.resumed).length}`);
		const observed = await (
			await page.request.get(`${baseUrl}/api/layers/observed?date=2020-02-20`)
		).json();
		// Aggregates only: cells carry a count and an outline, never a household's position.
		expect(Object.keys(observed.hexagons[0]).sort()).toEqual(['households', 'q', 'r', 'ring']);
		await expect
			.poll(() => page.locator('[data-testid="layers"]').textContent())
			.toContain(`${observed.hexagons.length} 个蜂窝`);
		// The hexagons' own key (#15.13): its classes count every cell drawn, each swatch from the hexagons'
		// own green ramp.
		const hexagonKey = page.locator('[data-testid="hexagon-key"] li');
		await expect.poll(() => hexagonKey.count()).toBeGreaterThan(1);
		const keyCounts = (
			await page.locator('[data-testid="hexagon-key"] li b').allTextContents()
		).map((text) => Number(text.replace(/,/g, '')));
		expect(keyCounts.reduce((sum, n) => sum + n, 0)).toBe(observed.hexagons.length);
		const swatches = await page
			.locator('[data-testid="hexagon-key"] .hex:not(.hollow)')
			.evaluateAll((spans) => spans.map((span) => getComputedStyle(span).backgroundColor));
		const css = (rgb: readonly number[]) => `rgb(${rgb.join(', ')})`;
		expect(swatches.length).toBeGreaterThan(0);
		for (const swatch of swatches) expect(HEXAGON_RAMP.map(css)).toContain(swatch);
		await page.locator('[data-testid="layer-grid-labels"]').check();
		await page.locator('[data-testid="layer-3d"]').check();
		await expect
			.poll(() =>
				page.evaluate(() =>
					(window as unknown as { gridwatchMap: { getPitch(): number } }).gridwatchMap.getPitch()
				)
			)
			.toBeGreaterThan(40);
		await expect.poll(() => new URL(page.url()).searchParams.get('layers')).toBe('k,o,e,p,g,3');
	});

	it('reproduces drill-down, comparison, layers and camera from a copied link', async () => {
		await open(
			'/?metric=observed_households&drill=330114002005&compare=3&date=2020-02-12&layers=k,g&shift=evening&select=0502'
		);
		await page.waitForTimeout(1500);
		const link = page.url();
		expect(link).toMatch(/at=/);
		const before = await page.evaluate(() => {
			const m = (
				window as unknown as {
					gridwatchMap: { getCenter(): { lng: number; lat: number }; getZoom(): number };
				}
			).gridwatchMap;
			return { ...m.getCenter(), zoom: m.getZoom() };
		});
		const context = await browser.newContext();
		await context.addCookies(await page.context().cookies());
		const other = await context.newPage();
		await other.goto(link);
		await other.locator('[data-testid="legend"]').waitFor();
		await other.waitForTimeout(1500);
		expect(await other.locator('[data-testid="breadcrumb"] li').allTextContents()).toEqual([
			'白杨街道',
			'邻里社区'
		]);
		expect(await other.locator('[data-testid="legend"] h2').textContent()).toContain(
			'较 3 天前变化'
		);
		expect(await other.locator('[data-testid="area-panel"] .code').textContent()).toContain('0502');
		expect(await other.locator('[data-testid="layer-checkpoints"]').isChecked()).toBe(true);
		expect(await other.locator('[data-testid="layer-shift"]').inputValue()).toBe('evening');
		const after = await other.evaluate(() => {
			const m = (
				window as unknown as {
					gridwatchMap: { getCenter(): { lng: number; lat: number }; getZoom(): number };
				}
			).gridwatchMap;
			return { ...m.getCenter(), zoom: m.getZoom() };
		});
		expect(Math.abs(after.lng - before.lng)).toBeLessThan(1e-4);
		expect(Math.abs(after.lat - before.lat)).toBeLessThan(1e-4);
		expect(Math.abs(after.zoom - before.zoom)).toBeLessThan(0.02);
		await context.close();
	});

	it('exports the map as a PNG with title, legend, date, scale bar and north arrow, and the colours the view showed', async () => {
		await open('/?metric=screening_coverage&date=2020-02-28');
		await waitForRender(page, 'screening_coverage', '2020-02-28');
		const all = await grids('2020-02-28');
		const worst = all.reduce((a, b) => (coverage(a) < coverage(b) ? a : b));
		const point = await screenPointOf(page, baseUrl, worst.id);
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('[data-testid="export-png"]').click()
		]);
		expect(download.suggestedFilename()).toBe('gridwatch-grid-screening_coverage-2020-02-28.png');
		const bytes = await readFile((await download.path())!);
		const png = PNG.sync.read(bytes);
		const map = (await page.locator('[data-testid="map"]').boundingBox())!;
		expect(png.width).toBe(Math.round(map.width));
		expect(png.height).toBe(Math.round(map.height) + 64);
		const at = (x: number, y: number) => {
			const i = (Math.round(y) * png.width + Math.round(x)) * 4;
			return [png.data[i], png.data[i + 1], png.data[i + 2]];
		};
		// The worst grid in the red policy class, 64 px lower for the title band.
		expect(distance(at(point.x, point.y + 64), blend([215, 48, 39]))).toBeLessThan(25);
		// Title band dark, legend swatches in the class colours, scale bar and north arrow drawn.
		expect(distance(at(5, 5), [0x1f, 0x2a, 0x3a])).toBeLessThan(5);
		const text = readPngText(bytes);
		expect(text.Title).toContain('排查覆盖率');
		expect(text.Title).toContain('白杨街道');
		expect(text.Description).toContain('2020-02-28');
		const entries = await page.locator('[data-testid="legend-entry"]').allTextContents();
		for (const label of ['< 80.0%', '80.0% – < 95.0%', '≥ 95.0%']) {
			expect(text.Description).toContain(label);
			expect(entries.join('|')).toContain(label);
		}
		const swatches = new Set<string>();
		for (let y = png.height - 200; y < png.height - 12; y += 2) swatches.add(at(30, y).join(','));
		for (const color of [
			[215, 48, 39],
			[254, 224, 144],
			[69, 117, 180]
		])
			expect(swatches.has(color.join(','))).toBe(true);
		let dark = 0;
		for (let x = png.width - 170; x < png.width - 15; x++)
			if (distance(at(x, png.height - 22), [0x1b, 0x22, 0x30]) < 10) dark++;
		expect(dark).toBeGreaterThan(40); // the scale bar
		expect(distance(at(png.width - 36, 64 + 120 + 5), [0x1b, 0x22, 0x30])).toBeLessThan(10); // the north arrow
	});

	it('exports the table behind the view as XLSX and CSV with the values and classes shown', async () => {
		await open('/?metric=screening_coverage&date=2020-02-28&classes=quantile&n=4');
		const all = await grids('2020-02-28');
		const worst = all.reduce((a, b) => (coverage(a) < coverage(b) ? a : b));
		await page.locator('[data-testid="table-toggle"]').click();
		const shownClass = await page
			.locator(`[data-testid="area-table"] tr[data-code="${worst.id}"] td`)
			.nth(3)
			.textContent();
		// Counts read with thousands separators on the page (the most populous grid's registered residents).
		const residentsHeader = await page
			.locator('[data-testid="area-table"] thead th')
			.allTextContents();
		const largest = all.reduce((a, b) =>
			a.properties.residentsRegistered > b.properties.residentsRegistered ? a : b
		);
		const residentsCell = await page
			.locator(`[data-testid="area-table"] tr[data-code="${largest.id}"] > *`)
			.nth(residentsHeader.findIndex((t) => t.startsWith('登记人口')))
			.textContent();
		expect(largest.properties.residentsRegistered).toBeGreaterThanOrEqual(1000);
		expect(residentsCell).toBe(largest.properties.residentsRegistered.toLocaleString('zh-CN'));
		expect(residentsCell).toMatch(/^\d{1,3}(,\d{3})+$/);
		// Sorting by the value column puts the worst grid first, then last.
		const valueHeader = page.locator('[data-testid="area-table"] thead th button', {
			hasText: '排查覆盖率'
		});
		await valueHeader.click();
		await valueHeader.click();
		expect(
			await page.locator('[data-testid="area-table"] tbody tr').first().getAttribute('data-code')
		).toBe(worst.id);

		const [xlsxDownload] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('[data-testid="export-xlsx"]').click()
		]);
		expect(xlsxDownload.suggestedFilename()).toBe(
			'gridwatch-grid-screening_coverage-2020-02-28.xlsx'
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile((await xlsxDownload.path())!);
		const sheet = workbook.worksheets[0];
		expect(String(sheet.getCell('A1').value)).toContain('排查覆盖率');
		expect(String(sheet.getCell('A1').value)).toContain('2020-02-28');
		let headerRow = 0;
		sheet.eachRow((row, n) => {
			if (row.getCell(1).value === '编码') headerRow = n;
		});
		expect(headerRow).toBeGreaterThan(1);
		const header = (sheet.getRow(headerRow).values as unknown[]).slice(1);
		const col = (label: string) => header.indexOf(label) + 1;
		expect(sheet.rowCount - headerRow).toBe(99);
		let found = false;
		for (let n = headerRow + 1; n <= sheet.rowCount; n++) {
			const row = sheet.getRow(n);
			if (row.getCell(1).value !== worst.id) continue;
			found = true;
			expect(
				row.getCell(col(METRICS.screening_coverage.label['zh-CN'])).value as number
			).toBeCloseTo(coverage(worst), 5);
			expect(row.getCell(col('分级')).value).toBe(shownClass);
			expect(row.getCell(col('应排查返杭人员')).value).toBe(worst.properties.returneesDue);
			// Numbers stay numbers, shown with separators; the value as a percentage; the last report a date cell.
			expect(row.getCell(col('登记人口')).numFmt).toBe('#,##0');
			expect(row.getCell(col(METRICS.screening_coverage.label['zh-CN'])).numFmt).toBe('0.0%');
			const lastReport = row.getCell(col('最近上报'));
			expect(lastReport.value).toBeInstanceOf(Date);
			expect(lastReport.numFmt).toBe('yyyy-mm-dd hh:mm');
		}
		expect(found).toBe(true);
		// The description: the data date as a date, the classification in words with the classes shown,
		// and the export time in Beijing time (the demo clock: 28 Feb 23:55), each as label and value.
		const meta = new Map<string, ExcelJS.CellValue>();
		for (let n = 2; n < headerRow; n++)
			meta.set(String(sheet.getRow(n).getCell(1).value), sheet.getRow(n).getCell(2).value);
		expect((meta.get('数据日期') as Date).toISOString().slice(0, 10)).toBe('2020-02-28');
		expect(meta.get('分级')).toBe('分位数，图中 4 级');
		expect((meta.get('导出时间（北京时间）') as Date).toISOString().slice(0, 16)).toBe(
			'2020-02-28T23:55'
		);

		const [csvDownload] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('[data-testid="export-csv"]').click()
		]);
		const csv = await readFile((await csvDownload.path())!, 'utf8');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const lines = csv.slice(1).trim().split('\r\n');
		expect(lines).toHaveLength(100);
		const line = lines.find((l) => l.startsWith(`${worst.id},`))!;
		expect(line).toContain(`${(coverage(worst) * 100).toFixed(1)}%`);
		expect(line).toContain(shownClass!);
		// The export is in the audit log.
		const admin = await browser.newPage();
		await admin.goto(`${baseUrl}/signin`);
		await admin.locator('[data-testid="demo-demo-admin"]').click();
		await admin.waitForURL((url) => url.pathname === '/');
		await admin.goto(`${baseUrl}/admin/audit?action=export`);
		expect(await admin.locator('body').textContent()).toContain('导出表格');
		await admin.close();
	});

	it('answers a bad export request with 400 naming the parameter', async () => {
		await open('/');
		for (const [query, name] of [
			['format=pdf', 'format'],
			['metric=nope', 'metric'],
			['n=12', 'n'],
			['compare=7&date=2020-01-22', 'compare'],
			['drill=12', 'drill']
		]) {
			const response = await page.request.get(`${baseUrl}/api/export?${query}`);
			expect(response.status(), query).toBe(400);
			expect((await response.json()).message).toContain(`参数 ${name} 无效`);
		}
		expect((await page.request.get(`${baseUrl}/api/layers/checkpoints?shift=noon`)).status()).toBe(
			400
		);
		expect((await page.request.get(`${baseUrl}/api/layers/unknown`)).status()).toBe(404);
		expect((await page.request.get(`${baseUrl}/api/grid-detail?grid=9999`)).status()).toBe(404);
		expect((await page.request.get(`${baseUrl}/api/grid-detail?grid=x`)).status()).toBe(400);
	});

	it('operates every control from the keyboard', async () => {
		await open('/?metric=screening_coverage&date=2020-02-28');
		// Metric radios: arrow keys move through the group.
		await page.locator('[data-testid="metric-screening_coverage"]').focus();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => page.url()).toContain('metric=checkpoint_staffing');
		// Level select.
		await page.locator('[data-testid="level"]').focus();
		await page.keyboard.press('ArrowDown');
		await expect.poll(() => page.url()).toContain('level=community');
		// Date: previous-day button by Enter; slider by arrows.
		await page.locator('button[aria-label="前一天"]').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => legendDate()).toBe('2020-02-27');
		// Layer switches by Space.
		await page.locator('[data-testid="layer-checkpoints"]').focus();
		await page.keyboard.press('Space');
		await expect.poll(() => page.url()).toContain('layers=k');
		// Legend: classification selects.
		await page.locator('[data-testid="class-method"]').focus();
		await page.keyboard.press('ArrowDown');
		await expect.poll(() => page.url()).toContain('classes=quantile');
		// Table rows select areas; Escape clears the selection.
		await page.locator('[data-testid="table-toggle"]').focus();
		await page.keyboard.press('Enter');
		await page.locator('[data-testid="area-table"] tbody th button').first().focus();
		await page.keyboard.press('Enter');
		await page.locator('[data-testid="area-panel"]').waitFor();
		await page.locator('[data-testid="area-panel"] [data-testid="drill"]').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => page.url()).toContain('drill=');
		await page.locator('body').press('Escape');
		await expect.poll(() => page.url()).not.toContain('drill=');
		// The map itself pans with the arrow keys once focused.
		const canvas = page.locator('.maplibregl-canvas');
		await canvas.focus();
		const before = await page.evaluate(
			() =>
				(
					window as unknown as { gridwatchMap: { getCenter(): { lng: number } } }
				).gridwatchMap.getCenter().lng
		);
		await page.keyboard.press('ArrowRight');
		await page.waitForTimeout(800);
		const after = await page.evaluate(
			() =>
				(
					window as unknown as { gridwatchMap: { getCenter(): { lng: number } } }
				).gridwatchMap.getCenter().lng
		);
		expect(after).toBeGreaterThan(before);
	});
});
