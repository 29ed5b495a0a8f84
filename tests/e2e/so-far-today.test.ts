import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, type PageWatch } from './browser';
import { openMapAsLeader } from './map-support';

const baseUrl = inject('baseUrl');
/** 大北社区: the example of a community whose grids share people (117 summed, 89 people). */
const DABEI = '330114002002';

// The demo's clock stands at 23:55 on its last day, 28 Feb 2020: that day is not over yet.
describe('figures of a day not over, and people on duty', () => {
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

	it('the legend says "截至目前" for today and nothing for a day that is over; in English "so far today"', async () => {
		({ page, watch } = await openMapAsLeader(
			browser,
			baseUrl,
			'/?metric=checkpoint_staffing&date=2020-02-28'
		));
		const note = page.locator('[data-testid="legend-so-far"]');
		expect(await page.locator('[data-testid="legend-date"]').textContent()).toBe('2020-02-28');
		expect(await note.textContent()).toBe('（截至目前）');
		const api = async (date: string) =>
			(await (await page.request.get(`${baseUrl}/api/areas?level=grid&date=${date}`)).json())
				.inProgress;
		expect(await api('2020-02-28')).toBe(true);
		expect(await api('2020-02-27')).toBe(false);

		await page.locator('[data-testid="date"]').fill('2020-02-27');
		await page.locator('[data-testid="legend-date"]', { hasText: '2020-02-27' }).waitFor();
		expect(await note.count()).toBe(0);

		await page.goto(`${baseUrl}/?metric=checkpoint_staffing&date=2020-02-28&lang=en`);
		await page.locator('[data-testid="legend-date"]', { hasText: '2020-02-28' }).waitFor();
		expect(await note.textContent()).toBe('(so far today)');
	});

	it('the area panel shows a community’s people on duty, fewer than its grids summed, and says they are people', async () => {
		({ page, watch } = await openMapAsLeader(
			browser,
			baseUrl,
			`/?level=community&date=2020-02-27&select=${DABEI}`
		));
		const value = page.locator('[data-testid="panel-on-duty"]');
		await value.waitFor();
		const grids = (
			await (await page.request.get(`${baseUrl}/api/areas?level=grid&date=2020-02-27`)).json()
		).features as { properties: { communityCode: string; staffOnDuty: number } }[];
		const community = (
			(
				await (
					await page.request.get(`${baseUrl}/api/areas?level=community&date=2020-02-27`)
				).json()
			).features as { id: string; properties: { staffOnDuty: number } }[]
		).find((f) => f.id === DABEI)!;
		const summed = grids
			.filter((g) => g.properties.communityCode === DABEI)
			.reduce((s, g) => s + g.properties.staffOnDuty, 0);
		expect(community.properties.staffOnDuty).toBeGreaterThan(0);
		expect(community.properties.staffOnDuty).toBeLessThan(summed);
		expect(Number((await value.textContent())!.replace(/[^\d]/g, ''))).toBe(
			community.properties.staffOnDuty
		);
		expect(await value.getAttribute('title')).toContain('按人计，非人次');
		expect(
			await page.locator('[data-testid="area-panel"] dt', { hasText: '当日在岗人数' }).count()
		).toBe(1);

		await page.goto(`${baseUrl}/?level=community&date=2020-02-27&select=${DABEI}&lang=en`);
		await value.waitFor();
		expect(await value.getAttribute('title')).toContain('People, not person-shifts');
		expect(
			await page.locator('[data-testid="area-panel"] dt', { hasText: 'People on duty' }).count()
		).toBe(1);
	});
});
