import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { watchPage, type PageWatch } from './browser';
import type { Feature } from 'geojson';
import { labelPoint } from '../../src/lib/map/map-helpers';

export const BACKGROUND = [0xe9, 0xed, 0xf1];

export interface Pixels {
	width: number;
	height: number;
	at(x: number, y: number): [number, number, number];
}

export async function mapPixels(page: Page): Promise<Pixels> {
	const png = PNG.sync.read(await page.locator('[data-testid="map"]').screenshot());
	return {
		width: png.width,
		height: png.height,
		at: (x, y) => {
			const i = (Math.round(y) * png.width + Math.round(x)) * 4;
			return [png.data[i], png.data[i + 1], png.data[i + 2]];
		}
	};
}

/** The screen position (inside the map element) of a grid's label point. */
export async function screenPointOf(
	page: Page,
	baseUrl: string,
	code: string,
	level = 'grid',
	date = '2020-02-28'
): Promise<{ x: number; y: number }> {
	const response = await page.request.get(`${baseUrl}/api/areas?level=${level}&date=${date}`);
	const collection = (await response.json()) as { features: Feature[] };
	const feature = collection.features.find((f) => f.id === code);
	if (!feature) throw new Error(`no ${level} ${code}`);
	const [lng, lat] = labelPoint(feature);
	return page.evaluate(
		([lng, lat]) => {
			const map = (
				window as unknown as {
					gridwatchMap: { project(p: [number, number]): { x: number; y: number } };
				}
			).gridwatchMap;
			const p = map.project([lng, lat]);
			return { x: p.x, y: p.y };
		},
		[lng, lat] as [number, number]
	);
}

/** Waits until the map has drawn areas and the legend is up. */
export async function waitForMap(page: Page) {
	await page.locator('[data-testid="legend"]').waitFor();
	await page.waitForFunction(() => {
		const map = (window as unknown as { gridwatchMap?: { loaded(): boolean } }).gridwatchMap;
		return map?.loaded() === true;
	});
	await page.waitForTimeout(800);
}

export const distance = (a: number[], b: number[]) =>
	Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Projects [lng, lat] to a point inside the map element. */
export async function project(
	page: Page,
	position: [number, number]
): Promise<{ x: number; y: number }> {
	return page.evaluate(([lng, lat]) => {
		const map = (
			window as unknown as {
				gridwatchMap: { project(p: [number, number]): { x: number; y: number } };
			}
		).gridwatchMap;
		const p = map.project([lng, lat]);
		return { x: p.x, y: p.y };
	}, position);
}

/** Waits until the map has drawn a state whose key contains every one of `parts`. */
export async function waitForRender(page: Page, ...parts: string[]) {
	await page.waitForFunction((wanted) => {
		const key = document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered') ?? '';
		return wanted.every((p) => key.includes(p));
	}, parts);
	await page.waitForTimeout(300);
}

/** A class colour as drawn at alpha 215/255 over the map background. */
export const blend = (rgb: number[], alpha = 215) =>
	rgb.map((c, i) => Math.round((c * alpha + BACKGROUND[i] * (255 - alpha)) / 255));

/** Opens `path` in a new page, signed in with the demo page's one-click button as a leader (aggregates only), once the map has drawn. */
export async function openMapAsLeader(
	browser: Browser,
	baseUrl: string,
	path = '/',
	viewport = { width: 1280, height: 800 }
): Promise<{ page: Page; watch: PageWatch }> {
	const page = await browser.newPage({ viewport, acceptDownloads: true });
	const watch = watchPage(page, baseUrl);
	await page.goto(`${baseUrl}${path}`);
	await page.waitForURL(/\/signin/);
	await page.locator('[data-testid="demo-demo-leader"]').click();
	await page.waitForURL((url) => url.pathname === '/');
	await waitForMap(page);
	return { page, watch };
}
