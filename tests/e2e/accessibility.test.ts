import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';

const baseUrl = inject('baseUrl');
const AXE_SOURCE = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

/** Each page with a role that sees it (demo users; null: signed out). */
const PAGES: { path: string; user: string | null; viewport?: { width: number; height: number } }[] =
	[
		{ path: '/signin', user: null },
		{ path: '/', user: 'demo-leader', viewport: { width: 1366, height: 768 } },
		{ path: '/wall', user: 'demo-leader', viewport: { width: 1920, height: 1080 } },
		{ path: '/community/330114002002', user: 'demo-community' },
		{ path: '/gaps', user: 'demo-community' },
		{ path: '/grid/1203', user: 'demo-grid-other', viewport: { width: 375, height: 667 } },
		{ path: '/plan', user: 'demo-planner' },
		{ path: '/admin/users', user: 'demo-admin' },
		{ path: '/admin/audit', user: 'demo-admin' },
		{ path: '/admin/wall', user: 'demo-admin' },
		{ path: '/admin/gaps', user: 'demo-admin' },
		{ path: '/admin/key-areas', user: 'demo-admin' },
		{ path: '/report?date=2020-02-27', user: 'demo-leader' }
	];

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[]; failureSummary?: string }[];
}

async function signIn(page: Page, user: string) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator(`[data-testid="demo-${user}"]`).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** axe-core's WCAG 2.x A/AA rules on the page as it stands; only serious and critical findings. */
async function seriousViolations(page: Page): Promise<string[]> {
	await page.addScriptTag({ content: AXE_SOURCE });
	const violations = await page.evaluate(async () => {
		const axe = (
			window as unknown as {
				axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> };
			}
		).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations;
	});
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map(
			(v) =>
				`${v.id} (${v.impact}): ${v.help} — ${v.nodes
					.slice(0, 3)
					.map(
						(n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('')}`
					)
					.join(' | ')}`
		);
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
	let browser: Browser;
	/** One signed-in context per user, shared by that user's pages (a sign-in is a whole map load). */
	const contexts = new Map<string, BrowserContext>();
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	async function contextFor(user: string | null): Promise<BrowserContext> {
		const key = user ?? '';
		let context = contexts.get(key);
		if (!context) {
			// axe is injected as an inline script: the page's own CSP (nonce-only scripts) would refuse it.
			context = await browser.newContext({ bypassCSP: true });
			if (user) {
				const page = await context.newPage();
				await signIn(page, user);
				await page.close();
			}
			contexts.set(key, context);
		}
		return context;
	}

	it.each(PAGES.flatMap((p) => (['zh-CN', 'en'] as const).map((lang) => ({ ...p, lang }))))(
		'$path as $user ($lang): no serious or critical violations',
		async ({ path, user, viewport, lang }) => {
			const page = await (await contextFor(user)).newPage();
			await page.setViewportSize(viewport ?? { width: 1280, height: 800 });
			const watch = watchPage(page, baseUrl);
			try {
				const response = await page.goto(
					`${baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang === 'en' ? 'en' : 'zh'}`
				);
				expect(response?.status(), path).toBeLessThan(400);
				await page.waitForLoadState('networkidle').catch(() => {});
				await page.waitForTimeout(500);
				expect(await page.locator('html').getAttribute('lang')).toBe(lang);
				expect(await seriousViolations(page)).toEqual([]);
				expect(watch.errors).toEqual([]);
			} finally {
				await page.close();
			}
		}
	);
});
