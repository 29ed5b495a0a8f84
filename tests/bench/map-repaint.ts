/**
 * Benchmark: how long the map takes to repaint after a metric or date change, in headless
 * Chromium (SwiftShader, 2 cores), and the API latency behind a date change.
 *
 * - In place: click a metric (or the next-day button) and wait until the map has drawn the new
 *   state (the map element's data-rendered key, set after deck.gl's draw, then one more frame).
 * - Baseline: the same change made by loading the page afresh at the new address (what a
 *   dashboard that reloads per change costs), timed to the same drawn state.
 * - API: the two requests a date change makes (/api/areas for grids and communities, in
 *   parallel), once for each of the 40 days, p50 and p95.
 *
 * Usage: npm run build && npm run bench:map      Writes bench-results/map-repaint.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startServer } from '../support/server';
import { copySeededPglite } from '../support/seeded-pglite';
import { launchBrowser } from '../e2e/browser';
import { Client } from '../support/http';
import { stats } from './stats';

const ROUNDS = 20;
const METRIC_CYCLE = ['observed_households', 'checkpoint_staffing', 'screening_coverage'];

/** In the page: run `act`, then resolve with the ms until the map's drawn key contains every part, plus one frame. */
async function timeInPage(page: Page, act: string, parts: string[]): Promise<number> {
	return page.evaluate(
		async ({ act, parts }) => {
			const map = document.querySelector('[data-testid="map"]') as HTMLElement;
			const done = () => parts.every((p) => (map.getAttribute('data-rendered') ?? '').includes(p));
			const started = performance.now();
			(document.querySelector(act) as HTMLElement).click();
			await new Promise<void>((resolve, reject) => {
				const timeout = setTimeout(
					() => reject(new Error(`no repaint for ${parts.join(', ')}`)),
					20_000
				);
				const check = () => {
					if (done()) {
						clearTimeout(timeout);
						requestAnimationFrame(() => resolve());
					} else requestAnimationFrame(check);
				};
				check();
			});
			return performance.now() - started;
		},
		{ act, parts }
	);
}

async function waitDrawn(page: Page, parts: string[]) {
	await page.waitForFunction(
		(parts) => {
			const key =
				document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered') ?? '';
			return parts.every((p) => key.includes(p));
		},
		parts,
		{ timeout: 60_000 }
	);
}

export async function main(): Promise<number> {
	const dataDir = await copySeededPglite('bench-map');
	const server = await startServer({ GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_DEMO: '1' });
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		await page.goto(`${server.url}/signin`);
		await page.locator('[data-testid="demo-demo-leader"]').click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.goto(`${server.url}/?metric=screening_coverage&date=2020-02-01`);
		await waitDrawn(page, ['screening_coverage|', '2020-02-01']);

		// Metric changes in place (data already loaded: classification + redraw).
		const metricChange: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			const metric = METRIC_CYCLE[i % METRIC_CYCLE.length];
			metricChange.push(await timeInPage(page, `[data-testid="metric-${metric}"]`, [`${metric}|`]));
		}
		// Date changes in place (two API requests, classification, redraw).
		const dateChange: number[] = [];
		let day = '2020-02-01';
		for (let i = 0; i < ROUNDS; i++) {
			const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
			dateChange.push(await timeInPage(page, 'button[aria-label="后一天"]', [`|${next}|`]));
			day = next;
		}
		// Baseline: a fresh page load per change, to the same drawn state.
		const reload: number[] = [];
		for (let i = 0; i < 8; i++) {
			const metric = METRIC_CYCLE[i % METRIC_CYCLE.length];
			const date = `2020-02-${String(2 + i).padStart(2, '0')}`;
			const started = performance.now();
			await page.goto(`${server.url}/?metric=${metric}&date=${date}`);
			await waitDrawn(page, [`${metric}|`, date]);
			reload.push(performance.now() - started);
		}

		// The API behind a date change, without the browser.
		const client = new Client(server.url);
		await client.signInAsDemo('demo-leader');
		const api: number[] = [];
		for (let d = Date.UTC(2020, 0, 20); d <= Date.UTC(2020, 1, 28); d += 86_400_000) {
			const date = new Date(d).toISOString().slice(0, 10);
			const started = performance.now();
			const responses = await Promise.all(
				['grid', 'community'].map((level) => client.get(`/api/areas?level=${level}&date=${date}`))
			);
			await Promise.all(responses.map((r) => r.arrayBuffer()));
			if (responses.some((r) => !r.ok)) throw new Error(`API error on ${date}`);
			api.push(performance.now() - started);
		}

		const results = {
			date: new Date().toISOString(),
			cpus: (await import('node:os')).cpus().length,
			browser: 'Debian Chromium, headless, SwiftShader WebGL, 1280×800',
			repaintMs: { metricChange: stats(metricChange), dateChange: stats(dateChange) },
			baselineFullReloadMs: stats(reload),
			apiDateChangeMs: stats(api)
		};
		mkdirSync('bench-results', { recursive: true });
		writeFileSync('bench-results/map-repaint.json', JSON.stringify(results, null, 2));
		console.log(JSON.stringify(results, null, 2));
		return 0;
	} finally {
		await browser.close();
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
