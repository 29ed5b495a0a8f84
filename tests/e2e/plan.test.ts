import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';

describe('reinforcement planner', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a planner enters a pool and sees both allocations, the map before and after, and each grid’s share', async () => {
		const baseUrl = inject('baseUrl');
		const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
		const watch = watchPage(page, baseUrl);
		await page.goto(`${baseUrl}/signin`);
		await page.locator('[data-testid="demo-demo-planner"]').click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.locator('[data-testid="nav-plan"]').click();
		await page.waitForURL((url) => url.pathname === '/plan');
		await page.locator('[data-testid="plan-form"][data-ready="true"]').waitFor();
		await page.locator('[data-testid="pool-add"]').click();
		await page.locator('[data-testid="pool-people"]').nth(2).fill('15');
		await page.locator('[data-testid="plan-submit"]').click();
		await page.locator('[data-testid="plan-compare"]').waitFor();
		const optimised = Number(await page.locator('[data-testid="optimised-unmet"]').textContent());
		const greedy = Number(await page.locator('[data-testid="greedy-unmet"]').textContent());
		expect(optimised).toBeLessThanOrEqual(greedy);
		expect(await page.locator('[data-testid="plan-assignments"] tbody tr').count()).toBeGreaterThan(0);
		const sent = (await page.locator('[data-testid="plan-assignments"] tbody tr td:nth-child(5)').allTextContents()).reduce((s, t) => s + Number(t), 0);
		expect(sent).toBeLessThanOrEqual(30 + 20 + 15);
		expect(sent).toBeGreaterThan(0);
		// The map: after the plan fewer people are wanted than before, by exactly those sent.
		const map = page.locator('[data-testid="plan-map"]');
		await page.waitForFunction(() => document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered'));
		const after = Number(await map.getAttribute('data-total'));
		await page.locator('[data-testid="view-before"]').check();
		await expect.poll(() => map.getAttribute('data-view')).toBe('before');
		const before = Number(await map.getAttribute('data-total'));
		expect(before - after).toBe(sent);
		expect((await page.locator('[data-testid="plan-grids"] tbody tr td:nth-child(5)').allTextContents()).every((t) => t.length > 4)).toBe(true);
		// The allocation as CSV, and as a printed dispatch sheet.
		const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="plan-csv"]').click()]);
		const csv = readFileSync((await download.path())!, 'utf8');
		expect(csv.startsWith('\ufeff队伍,网格,任务,卡口,班次,人数,路程 km')).toBe(true);
		const lines = csv.trim().split('\r\n');
		expect(lines.length - 1).toBe(await page.locator('[data-testid="plan-assignments"] tbody tr').count());
		expect(lines.slice(1).reduce((s, l) => s + Number(l.split(',')[5]), 0)).toBe(sent);
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('[data-testid="plan-assignments"]').isVisible()).toBe(true);
		expect(await page.locator('[data-testid="plan-form"]').isVisible()).toBe(false);
		await page.emulateMedia({ media: 'screen' });
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/plan.png', await page.screenshot({ fullPage: true }));
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);
		await page.close();
	});

	it('answers an empty pool, a bad row and a refused role in words', async () => {
		const baseUrl = inject('baseUrl');
		const planner = new Client(baseUrl);
		await planner.signInAsDemo('demo-planner');
		const post = (client: Client, body: unknown) => client.request('/api/plan', { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl }, body: JSON.stringify(body) });
		const empty = await post(planner, { pool: [] });
		expect(empty.status).toBe(400);
		expect((await empty.json()).message).toMatch(/人员池为空/);
		const bad = await post(planner, { pool: [{ people: 5, staging: 'subdistrict' }, { people: 'ten', staging: 'subdistrict' }] });
		expect((await bad.json()).message).toMatch(/pool\[2\]\.people/);
		const mismatch = await post(planner, { pool: [{ people: 5, staging: 'subdistrict', skills: ['observation'] }], horizon: 'shift' });
		expect([200, 400]).toContain(mismatch.status);
		const grid = new Client(baseUrl);
		await grid.signInAsDemo('demo-grid');
		expect((await post(grid, { pool: [{ people: 5, staging: 'subdistrict' }] })).status).toBe(403);
	});
});
