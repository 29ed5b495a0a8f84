import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { waitForMap } from './map-support';

/**
 * Issue 15 item 14: one language per page, the user's, kept across sign-in and pages; a switch on
 * every page; the map's controls and the area names in that language.
 */
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

async function signIn(context: BrowserContext, role: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`${baseUrl}/signin`);
	await page.locator(`[data-testid="demo-${role}"]`).click();
	await page.waitForURL((url) => url.pathname !== '/signin');
	return page;
}

async function signInInEnglish(role: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	const page = await context.newPage();
	await page.goto(`${baseUrl}/signin`);
	await page.locator('[data-testid="lang-switch"]').click();
	await page.waitForURL(/lang=en/);
	await page.locator(`[data-testid="demo-${role}"]`).click();
	await page.waitForURL((url) => url.pathname !== '/signin');
	return page;
}

describe('language', () => {
	it('English chosen before sign-in is kept on every page, each of which has the switch', async () => {
		const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
		const first = await context.newPage();
		await first.goto(`${baseUrl}/signin`);
		await first.locator('[data-testid="lang-switch"]').click();
		await first.waitForURL(/lang=en/);
		await first.locator('[data-testid="demo-demo-admin"]').click();
		await first.waitForURL((url) => url.pathname === '/');
		const pages: Record<string, string[]> = {
			'demo-admin': [
				'/admin/users',
				'/admin/audit',
				'/admin/wall',
				'/admin/gaps',
				'/gaps',
				'/plan'
			],
			'demo-leader': ['/wall'],
			'demo-community': ['/community/330114002002'],
			'demo-grid-other': ['/grid/1203']
		};
		const missing: string[] = [];
		for (const [role, paths] of Object.entries(pages)) {
			// Each other role in a browser of its own, English chosen on the sign-in page before signing in.
			const page = role === 'demo-admin' ? first : await signInInEnglish(role);
			const watch = watchPage(page, baseUrl);
			for (const path of paths) {
				await page.goto(`${baseUrl}${path}`);
				expect(await page.locator('html').getAttribute('lang'), path).toBe('en');
				const switches = page.locator('[data-testid="lang-switch"]');
				if ((await switches.count()) === 0) missing.push(path);
				else expect(await switches.first().textContent(), path).toBe('中文');
				// One language: no Chinese in the page's own words (names of places aside, checked below).
				const heading =
					(await page
						.locator('h1, h2')
						.first()
						.textContent()
						.catch(() => '')) ?? '';
				expect(heading, path).not.toMatch(/[\u4e00-\u9fff]/u);
			}
			expect(watch.errors).toEqual([]);
		}
		expect(missing).toEqual([]);
		await context.close();
	});

	it("the map's controls and the areas' names follow the language", async () => {
		for (const lang of ['zh', 'en'] as const) {
			const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
			const page = await signIn(context, 'demo-leader');
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/?lang=${lang}&level=grid&select=0502`);
			await waitForMap(page);
			const zoomIn = await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('title');
			expect(zoomIn).toBe(lang === 'en' ? 'Zoom in' : '放大');
			const panel = page.locator('[data-testid="area-panel"]');
			await panel.waitFor();
			const title = (await panel.locator('h2').textContent()) ?? '';
			const sub = (await panel.locator('.code').textContent()) ?? '';
			if (lang === 'en') {
				// Pinyin, with its capital: "Linli grid 2", in the panel and for its community.
				expect(title).toMatch(/^[A-Z][a-z]+(?: [A-Z][a-z]+)* grid \d+$/);
				expect(sub).not.toMatch(/[\u4e00-\u9fff]/u);
			} else {
				expect(title).toMatch(/[\u4e00-\u9fff]/u);
			}
			expect(watch.errors).toEqual([]);
			await context.close();
		}
	});
});
