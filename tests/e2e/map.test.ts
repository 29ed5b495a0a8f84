import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchPage, type PageWatch } from './browser';
import {
	BACKGROUND,
	distance,
	mapPixels,
	openMapAsLeader,
	screenPointOf as screenPointAt,
	waitForMap
} from './map-support';

const baseUrl = inject('baseUrl');
const screenPointOf = (page: Page, code: string, level = 'grid') =>
	screenPointAt(page, baseUrl, code, level);
describe('map page', () => {
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
		// Every test: no page errors, and no request left the server.
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);
		await page.close();
	});

	async function open(path = '/', viewport = { width: 1280, height: 800 }) {
		({ page, watch } = await openMapAsLeader(browser, baseUrl, path, viewport));
	}

	it('renders the 99 grids as shaded polygons on the last day by default', async () => {
		await open();
		await expect(page.locator('[data-testid="legend-date"]').textContent()).resolves.toBe(
			'2020-02-28'
		);
		const counts = await page.locator('[data-testid="legend-entry"] .count').allTextContents();
		expect(counts.reduce((sum, text) => sum + parseInt(text, 10), 0)).toBe(99);
		const pixels = await mapPixels(page);
		let shaded = 0;
		let samples = 0;
		for (let y = 10; y < pixels.height - 10; y += 8) {
			for (let x = 10; x < pixels.width - 10; x += 8) {
				samples++;
				if (distance(pixels.at(x, y), BACKGROUND) > 30) shaded++;
			}
		}
		expect(shaded / samples).toBeGreaterThan(0.3);
	});

	it('shades each grid with its class colour, and switching the metric changes legend and colours', async () => {
		await open('/?metric=screening_coverage&level=grid&date=2020-02-28');
		const title = () => page.locator('[data-testid="legend"] h2').textContent();
		expect(await title()).toBe('排查覆盖率');
		const response = await page.request.get(`${baseUrl}/api/areas?level=grid&date=2020-02-28`);
		const grids = (await response.json()).features as {
			id: string;
			properties: { returneesDue: number; returneesScreened: number };
		}[];
		const ratio = (g: (typeof grids)[number]) =>
			g.properties.returneesScreened / g.properties.returneesDue;
		const worst = grids.reduce((a, b) => (ratio(a) < ratio(b) ? a : b));
		const best = grids.reduce((a, b) => (ratio(a) >= ratio(b) ? a : b));
		expect(ratio(worst)).toBeLessThan(0.8);
		const worstPoint = await screenPointOf(page, worst.id);
		const bestPoint = await screenPointOf(page, best.id);
		let pixels = await mapPixels(page);
		// Policy classes: < 80 % red (215, 48, 39), ≥ 95 % blue (69, 117, 180); drawn at alpha 215/255 over the background.
		const blend = (rgb: number[]) =>
			rgb.map((c, i) => Math.round((c * 215 + BACKGROUND[i] * 40) / 255));
		expect(distance(pixels.at(worstPoint.x, worstPoint.y), blend([215, 48, 39]))).toBeLessThan(25);
		expect(distance(pixels.at(bestPoint.x, bestPoint.y), blend([69, 117, 180]))).toBeLessThan(25);
		const legendBefore = await page.locator('[data-testid="legend-entry"]').allTextContents();

		await page.locator('label:has([data-testid="metric-observed_households"])').click();
		await page.waitForTimeout(600);
		expect(await title()).toBe('居家观察户数');
		expect(await page.locator('[data-testid="legend-entry"]').allTextContents()).not.toEqual(
			legendBefore
		);
		pixels = await mapPixels(page);
		expect(distance(pixels.at(worstPoint.x, worstPoint.y), blend([215, 48, 39]))).toBeGreaterThan(
			40
		);
		expect(page.url()).toContain('metric=observed_households');
	});

	it('shows a tooltip on hover and the grid’s figures on click; the date picker changes them', async () => {
		await open('/?metric=screening_coverage&level=grid&date=2020-02-28');
		const point = await screenPointOf(page, '0502');
		const box = (await page.locator('[data-testid="map"]').boundingBox())!;
		await page.mouse.move(box.x + point.x, box.y + point.y);
		await expect(page.locator('[data-testid="tooltip"]').textContent()).resolves.toContain('0502');
		await page.mouse.click(box.x + point.x, box.y + point.y);
		const panel = page.locator('[data-testid="area-panel"]');
		await panel.waitFor();
		expect(await panel.textContent()).toContain('0502');
		const lateFigures = await panel.textContent();

		await page.locator('[data-testid="date"]').fill('2020-01-27');
		await page.locator('[data-testid="legend-date"]', { hasText: '2020-01-27' }).waitFor();
		const earlyFigures = await panel.textContent();
		expect(earlyFigures).not.toEqual(lateFigures);
		expect(page.url()).toContain('date=2020-01-27');
		expect(page.url()).toContain('select=0502');
	});

	it('switches to communities with their names as labels, and to English', async () => {
		await open('/?level=community&metric=checkpoint_staffing');
		const counts = await page.locator('[data-testid="legend-entry"] .count').allTextContents();
		expect(counts.reduce((sum, text) => sum + parseInt(text, 10), 0)).toBe(25);
		await page.getByText('English').click();
		await page.waitForURL(/lang=en/);
		await waitForMap(page);
		expect(await page.locator('h1').textContent()).toBe('Gridwatch');
		expect(await page.locator('[data-testid="legend"] h2').textContent()).toBe(
			'Checkpoint staffing (all day)'
		);
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
	});

	it('switches classification method, number of classes and normalisation, kept in the address', async () => {
		await open('/?metric=observed_households&level=grid&date=2020-02-10');
		const entries = () => page.locator('[data-testid="legend-entry"]').allTextContents();
		const quantiles = await entries();
		await page.locator('[data-testid="class-method"]').selectOption('ckmeans');
		await page.locator('[data-testid="class-count"]').selectOption('3');
		await page.waitForTimeout(300);
		const natural = await entries();
		expect(natural).toHaveLength(3 + 1);
		expect(natural).not.toEqual(quantiles);
		const counts = (texts: string[]) =>
			texts.reduce((sum, text) => sum + parseInt(text.replace(/^.*?(\d+) 网格$/, '$1'), 10), 0);
		expect(counts(natural)).toBe(99);
		await page.locator('[data-testid="normalisation"]').selectOption('per_km2');
		await page.waitForTimeout(300);
		expect(await page.locator('[data-testid="legend"] h2').textContent()).toBe(
			'居家观察户数 · 每平方公里'
		);
		expect(page.url()).toContain('classes=ckmeans');
		expect(page.url()).toContain('n=3');
		expect(page.url()).toContain('per=per_km2');
		// A copied link reproduces the view.
		const copied = page.url();
		await page.close();
		page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		watch = watchPage(page, baseUrl);
		await page.goto(`${baseUrl}/signin`);
		await page.locator('[data-testid="demo-demo-leader"]').click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.goto(copied);
		await waitForMap(page);
		expect(await page.locator('[data-testid="legend"] h2').textContent()).toBe(
			'居家观察户数 · 每平方公里'
		);
		expect(await page.locator('[data-testid="legend-entry"]').count()).toBe(4);
	});

	it('marks areas whose community has not reported for the day, distinct from zero', async () => {
		await open('/?metric=screening_coverage&level=grid&date=2020-02-28');
		const response = await page.request.get(`${baseUrl}/api/areas?level=grid&date=2020-02-28`);
		const grids = (await response.json()).features as {
			properties: { lastReportDate: string | null };
		}[];
		const missing = grids.filter((g) => g.properties.lastReportDate !== '2020-02-28').length;
		expect(missing).toBeGreaterThan(0);
		expect(missing).toBeLessThan(99);
		const entry = page.locator('[data-testid="legend-unreported"]');
		expect(await entry.textContent()).toContain(`${missing} 网格`);
		// A day on which every community reported shows no such entry.
		const days = await Promise.all(
			['2020-02-20', '2020-02-21', '2020-02-22', '2020-02-23', '2020-02-24'].map(async (day) => {
				const r = await page.request.get(`${baseUrl}/api/areas?level=community&date=${day}`);
				const features = (await r.json()).features as {
					properties: { lastReportDate: string | null };
				}[];
				return { day, complete: features.every((f) => f.properties.lastReportDate === day) };
			})
		);
		const complete = days.find((d) => d.complete);
		expect(complete).toBeDefined();
		await page.locator('[data-testid="date"]').fill(complete!.day);
		await page.locator('[data-testid="legend-date"]', { hasText: complete!.day }).waitFor();
		expect(await entry.count()).toBe(0);
	});

	it('answers bad API parameters with 400 and a message naming the parameter', async () => {
		await open();
		const bad = await page.request.get(`${baseUrl}/api/areas?level=street&date=2020-02-28`);
		expect(bad.status()).toBe(400);
		expect((await bad.json()).message).toContain('level');
		const outside = await page.request.get(`${baseUrl}/api/summary?date=2019-12-31`);
		expect(outside.status()).toBe(400);
		expect((await outside.json()).message).toContain('2020-01-20');
	});
});
