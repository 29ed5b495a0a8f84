import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Feature, Geometry } from 'geojson';
import { launchBrowser, type PageWatch } from './browser';
import { openMapAsLeader, screenPointOf } from './map-support';

const baseUrl = inject('baseUrl');
const DESK = { width: 1366, height: 768 };

/** Waits until deck has drawn layer `id` with at least one item, and returns the layer's data. */
async function layerData<T>(page: Page, id: string): Promise<T[]> {
	const handle = await page.waitForFunction(
		(layerId) => {
			const deck = (
				window as unknown as {
					gridwatchOverlay: {
						_deck: { layerManager: { getLayers(): { id: string; props: { data: unknown } }[] } };
					};
				}
			).gridwatchOverlay._deck;
			const layer = deck.layerManager.getLayers().find((l) => l.id === layerId);
			return Array.isArray(layer?.props.data) && layer.props.data.length > 0
				? layer.props.data
				: null;
		},
		id,
		{ timeout: 60_000 }
	);
	return (await handle.jsonValue()) as T[];
}

describe('map overlays at 1366×768', () => {
	let browser: Browser;
	let page: Page;
	let watch: PageWatch;
	beforeAll(async () => {
		browser = await launchBrowser();
		// A first map on a cold server can outlast the 30 s wait of openMapAsLeader: draw one first.
		const warm = await openMapAsLeader(browser, baseUrl, '/', DESK).catch(() => null);
		await warm?.page.close();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
	});
	afterEach(async () => {
		expect(watch?.errors).toEqual([]);
		await page?.close();
	});

	it.each(['en', 'zh-CN'] as const)(
		'keeps every pixel of every label character in the font atlas (%s)',
		async (lang) => {
			({ page, watch } = await openMapAsLeader(
				browser,
				baseUrl,
				`/?lang=${lang}&level=community`,
				DESK
			));
			const communities = (
				await (
					await page.request.get(`${baseUrl}/api/areas?level=community&date=2020-02-28`)
				).json()
			).features as Feature[];
			await layerData(page, 'labels');
			const text = communities
				.map((f) =>
					lang === 'en'
						? (f.properties as { nameEn: string }).nameEn
						: (f.properties as { name: string }).name.replace(/社区$/, '')
				)
				.join('');
			if (lang === 'en') expect(text).toContain('J'); // Jingyuan, Jiangchao: the glyph that was lost
			const missing = await page.evaluate((chars) => {
				const deck = (
					window as unknown as {
						gridwatchOverlay: {
							_deck: {
								layerManager: {
									getLayers(): {
										id: string;
										state: {
											fontAtlasManager: {
												mapping: Record<string, { width: number }>;
												props: {
													fontFamily: string;
													fontWeight: string | number;
													fontSize: number;
												};
											};
										};
									}[];
								};
							};
						};
					}
				).gridwatchOverlay._deck;
				const layer = deck.layerManager.getLayers().find((l) => l.id === 'labels')!;
				const { mapping, props } = layer.state.fontAtlasManager;
				const ctx = document.createElement('canvas').getContext('2d')!;
				ctx.font = `${props.fontWeight} ${props.fontSize}px ${props.fontFamily}`;
				const problems: string[] = [];
				for (const char of new Set(Array.from(chars))) {
					const frame = mapping[char];
					const m = ctx.measureText(char);
					// The ink spans from actualBoundingBoxLeft px left of the origin to actualBoundingBoxRight px right of it.
					const ink = Math.ceil(Math.max(0, m.actualBoundingBoxLeft) + m.actualBoundingBoxRight);
					if (!frame) problems.push(`${char}: not in the atlas`);
					else if (frame.width < ink)
						problems.push(`${char}: frame ${frame.width} px < ink ${ink} px`);
				}
				return problems;
			}, text);
			expect(missing).toEqual([]);
		}
	);

	it.each(['en', 'zh-CN'] as const)(
		'draws no label or 未上报 badge over another (%s)',
		async (lang) => {
			({ page, watch } = await openMapAsLeader(
				browser,
				baseUrl,
				`/?lang=${lang}&date=2020-02-28&level=grid`,
				DESK
			));
			type Text = { position: [number, number]; text: string; offset: [number, number] };
			const labels = await layerData<Text>(page, 'labels');
			const badges = await layerData<Text>(page, 'unreported-marks');
			const grids = (
				await (await page.request.get(`${baseUrl}/api/areas?level=grid&date=2020-02-28`)).json()
			).features as { properties: { lastReportDate: string | null } }[];
			const unreported = grids.filter((g) => g.properties.lastReportDate !== '2020-02-28').length;
			expect(unreported).toBeGreaterThan(5);
			expect(labels).toHaveLength(25); // every community keeps its name
			expect(badges.length).toBeGreaterThanOrEqual(Math.ceil(unreported * 0.6));
			// Boxes measured here, independently: projected position + offset, text width from the same font.
			const boxes = await page.evaluate(
				({ labels, badges }) => {
					const map = (
						window as unknown as {
							gridwatchMap: { project(p: [number, number]): { x: number; y: number } };
						}
					).gridwatchMap;
					const ctx = document.createElement('canvas').getContext('2d')!;
					const font =
						'Arial, "Liberation Sans", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
					const box = (
						t: { position: [number, number]; text: string; offset: [number, number] },
						size: number,
						weight: string,
						pad: [number, number]
					) => {
						ctx.font = `${weight} ${size}px ${font}`;
						const w = ctx.measureText(t.text).width + 2 * pad[0];
						const h = size + 2 * pad[1];
						const p = map.project(t.position);
						const x = p.x + t.offset[0];
						const y = p.y + t.offset[1];
						return {
							text: t.text,
							left: x - w / 2,
							right: x + w / 2,
							top: y - h / 2,
							bottom: y + h / 2
						};
					};
					return [
						...labels.map((t) => box(t, 14, '600', [4, 2])),
						...badges.map((t) => box(t, 12, 'normal', [3, 1]))
					];
				},
				{ labels, badges }
			);
			const clashes: string[] = [];
			for (let i = 0; i < boxes.length; i++) {
				for (let j = i + 1; j < boxes.length; j++) {
					const [a, b] = [boxes[i], boxes[j]];
					if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
						clashes.push(`${a.text} × ${b.text}`);
				}
			}
			expect(clashes).toEqual([]);
		}
	);

	it('clusters the 3,611 enterprises until zoomed in', async () => {
		({ page, watch } = await openMapAsLeader(browser, baseUrl, '/?layers=e&date=2020-02-28', DESK));
		const enterprises = (
			await (await page.request.get(`${baseUrl}/api/layers/enterprises?date=2020-02-28`)).json()
		).enterprises as { position: [number, number] }[];
		expect(enterprises).toHaveLength(3611);
		const clusters = await layerData<{ count: number }>(page, 'enterprise-clusters');
		const counts = await layerData<{ count: number }>(page, 'enterprise-cluster-counts');
		expect(counts).toHaveLength(clusters.length);
		// At the subdistrict view, a few dozen marks stand for thousands of points.
		expect(clusters.length).toBeLessThan(150);
		expect(clusters.reduce((sum, c) => sum + c.count, 0)).toBeGreaterThan(3000);
		await expect
			.poll(() => page.locator('[data-testid="enterprise-key"]').textContent())
			.toContain('聚合');
		// Zoomed in past the cluster limit, every enterprise in view is its own point.
		await page.evaluate(
			(center) =>
				(window as unknown as { gridwatchMap: { jumpTo(o: object): void } }).gridwatchMap.jumpTo({
					center,
					zoom: 16
				}),
			enterprises[0].position
		);
		await page.waitForFunction(
			() => {
				const deck = (
					window as unknown as {
						gridwatchOverlay: {
							_deck: {
								layerManager: { getLayers(): { id: string; props: { data: unknown[] } }[] };
							};
						};
					}
				).gridwatchOverlay._deck;
				const layers = deck.layerManager.getLayers();
				return (
					!layers.some((l) => l.id === 'enterprise-clusters') &&
					layers.some((l) => l.id === 'enterprises')
				);
			},
			undefined,
			{ timeout: 60_000 }
		);
	});
	it('names every area in pinyin in English: labels, tooltip, table and the wall’s top ten (#15.14)', async () => {
		({ page, watch } = await openMapAsLeader(
			browser,
			baseUrl,
			'/?lang=en&level=community&date=2020-02-28',
			DESK
		));
		const communities = (
			await (await page.request.get(`${baseUrl}/api/areas?level=community&date=2020-02-28`)).json()
		).features as Feature<Geometry, { code: string; name: string; nameEn: string }>[];
		const pinyin = new Map(communities.map((f) => [f.properties.code, f.properties.nameEn]));
		const han = /[\u4e00-\u9fff]/;
		for (const name of pinyin.values()) expect(name).toMatch(/^[A-Z][A-Za-z' ()-]+$/);
		// Labels on the map.
		const labels = await layerData<{ text: string }>(page, 'labels');
		for (const label of labels) expect(label.text).not.toMatch(han);
		// Tooltip over one community.
		const first = communities[0].properties;
		const point = await screenPointOf(page, baseUrl, first.code, 'community');
		const box = (await page.locator('[data-testid="map"]').boundingBox())!;
		await page.mouse.move(box.x + point.x, box.y + point.y);
		const tooltip = page.locator('[data-testid="tooltip"] strong');
		await tooltip.waitFor();
		expect(await tooltip.textContent()).toBe(first.nameEn);
		// The table: one row per community, named in pinyin.
		await page.locator('[data-testid="table-toggle"]').click();
		const rows = page.locator('[data-testid="area-table"] tbody tr[data-code]');
		await expect.poll(() => rows.count()).toBe(communities.length);
		const named = await rows.evaluateAll((trs) =>
			trs.map((tr) => [tr.getAttribute('data-code'), tr.children[1]?.textContent?.trim()])
		);
		for (const [code, name] of named) expect(name, code ?? '').toBe(pinyin.get(code ?? ''));
		// The wall's ten grids needing attention, each with its community in pinyin.
		await page.goto(`${baseUrl}/wall?lang=en`);
		const items = page.locator('[data-testid="wall-worst"] li .name');
		await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(10);
		const known = new Set(pinyin.values());
		for (const name of await items.allTextContents())
			expect(known.has(name.trim()), name).toBe(true);
	});
});
