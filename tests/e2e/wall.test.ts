import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';
import { freePort, startServer } from '../support/server';
import { copySeededPglite } from '../support/seeded-pglite';
import { SHIFT_HOURS, shiftAt } from '../../src/lib/core/time';

const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

/** An administrator makes a wall-screen link (k = 3 unless given); returns the token. */
async function wallToken(baseUrl: string, label: string, suppressBelow = '3'): Promise<string> {
	const admin = new Client(baseUrl);
	await admin.signInAsDemo('demo-admin');
	const created = await (
		await admin.postForm('/admin/wall?/create', { label, suppressBelow })
	).text();
	const token = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)?.[1];
	if (!token) throw new Error('no wall token in the admin page');
	return token;
}

const kpi = (page: Page, id: string) =>
	page.locator(`[data-testid="kpi-${id}"] [data-testid="kpi-value"]`).textContent();
const toNumber = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

/** The `change` events /api/events sends `client` while `during` runs and for `settleMs` after. */
async function changesDuring(
	client: Client,
	during: () => Promise<void>,
	settleMs = 2500
): Promise<{ from?: string; to?: string; gaps?: boolean; grids?: string[] }[]> {
	const stop = new AbortController();
	const response = await client.request('/api/events', { signal: stop.signal });
	expect(response.status).toBe(200);
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const reading = (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				text += decoder.decode(value, { stream: true });
			}
		} catch {
			// aborted
		}
	})();
	await expect.poll(() => text.includes('event: hello'), { timeout: 10_000 }).toBe(true);
	await during();
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	stop.abort();
	await reading;
	return text
		.split('\n\n')
		.filter((block) => block.startsWith('event: change'))
		.map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)));
}

describe('wall screen', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	for (const [width, height] of [
		[1920, 1080],
		[3840, 2160]
	]) {
		it(`fills a ${width}×${height} screen without scrolling, with headline figures at least 4% of its height`, async () => {
			const baseUrl = inject('baseUrl');
			const token = await wallToken(baseUrl, `大屏 ${width}`);
			const page = await browser.newPage({ viewport: { width, height } });
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/wall?wall_token=${token}`);
			await page.locator('[data-testid="kpi-coverage"] [data-testid="kpi-value"]').waitFor();
			await page.waitForFunction(() =>
				document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered')
			);
			await page.waitForTimeout(1500);
			mkdirSync('test-results', { recursive: true });
			writeFileSync(`test-results/wall-${width}x${height}.png`, await page.screenshot());
			const layout = await page.evaluate(() => {
				const values = [...document.querySelectorAll('[data-testid="kpi-value"]')].map((el) =>
					parseFloat(getComputedStyle(el).fontSize)
				);
				const overflowing = [...document.querySelectorAll('.kpi, .worst, header, footer')]
					.filter(
						(el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1
					)
					.map((el) => el.className);
				const kpiValues = [...document.querySelectorAll('[data-testid="kpi-value"]')]
					.filter((el) => el.scrollWidth > el.clientWidth + 1)
					.map((el) => el.textContent);
				return {
					scroll: [
						document.documentElement.scrollWidth,
						document.documentElement.scrollHeight,
						innerWidth,
						innerHeight
					],
					smallest: Math.min(...values),
					count: values.length,
					overflowing,
					kpiValues
				};
			});
			expect(layout.scroll[0]).toBeLessThanOrEqual(layout.scroll[2]);
			expect(layout.scroll[1]).toBeLessThanOrEqual(layout.scroll[3]);
			expect(layout.count).toBe(8);
			expect(layout.smallest).toBeGreaterThanOrEqual(0.04 * height);
			expect(layout.overflowing).toEqual([]);
			expect(layout.kpiValues).toEqual([]);
			// Everything is there: KPIs with their change and target, the worst grids, the map's legend, the data time.
			expect(await page.locator('.kpi .change').count()).toBe(8);
			expect(await page.locator('[data-testid="wall-worst"] li').count()).toBe(10);
			expect(await page.locator('[data-testid="wall-legend"]').textContent()).toMatch(/\d/);
			expect(await page.locator('[data-testid="wall-asof"]').textContent()).toMatch(
				/数据截至 02-28 \d\d:\d\d/
			);
			await expect.poll(() => page.locator('[data-testid="wall-live"]').count()).toBe(1);
			expect(await page.locator('[data-testid="wall-stale"]').count()).toBe(0);
			expect(watch.errors).toEqual([]);
			expect(watch.offServerRequests).toEqual([]);
			await page.close();
		});
	}

	it(
		'compares the running shift’s staffing with the same shift yesterday, its trend that shift’s, labelled with the shift’s hours',
		{ timeout: 240_000 },
		async () => {
			const baseUrl = inject('baseUrl');
			const token = await wallToken(baseUrl, '本班');
			const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/wall?wall_token=${token}&seconds=600`);
			const tile = page.locator('[data-testid="kpi-staffing-now"]');
			await tile.locator('[data-testid="kpi-value"]').waitFor({ timeout: 120_000 });
			const { clock } = await page.evaluate(() => fetch('/api/summary').then((r) => r.json()));
			const shift = shiftAt(Date.parse(clock));
			const series = (
				await page.evaluate(
					(q) => fetch(`/api/trend/shift?${q}`).then((r) => r.json()),
					`date=${shift.day}&days=14&shift=${shift.shift}`
				)
			).days as { day: string; requiredStaff: number; staffedStaff: number }[];
			expect(series).toHaveLength(14);
			const [before, now] = series.slice(-2).map((d) => d.staffedStaff / d.requiredStaff);
			expect(await tile.locator('.label').textContent()).toBe(
				`卡口在岗率·本班 ${SHIFT_HOURS[shift.shift]}`
			);
			expect(toNumber(await tile.locator('[data-testid="kpi-value"]').textContent())).toBeCloseTo(
				now * 100,
				1
			);
			// Night against night: the size and direction of the change are those of the same shift the day before.
			const points = Math.round((now - before) * 1000) / 10;
			const change = (await tile.locator('.change').textContent())!;
			if (points === 0) expect(change).toBe('与昨日同班持平');
			else
				expect(change).toBe(
					`较昨日同班 ${points > 0 ? '▲' : '▼'} ${Math.abs(points).toFixed(1)}个百分点`
				);
			// The trend line has a point for each of the 14 shifts.
			const line = (await tile.locator('polyline').getAttribute('points'))!.trim().split(/\s+/);
			expect(line).toHaveLength(series.filter((d) => d.requiredStaff > 0).length);
			// No tile shows a change of nothing as a fall: 0.0 reads 持平, in the neutral colour.
			for (const text of await page.locator('.kpi .change').allTextContents())
				expect(text).not.toMatch(/[▲▼] 0(\.0)?(个百分点)?$/);
			for (const neutral of await page
				.locator('.kpi .change:not(.good):not(.bad)')
				.allTextContents())
				expect(neutral).toMatch(/持平|无对比/);
			expect(watch.errors).toEqual([]);
			await page.close();
		}
	);

	it('rotates its scenes by itself, pauses and resumes on Space, and steps with the arrow keys', async () => {
		const baseUrl = inject('baseUrl');
		const token = await wallToken(baseUrl, '场景测试');
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		await page.goto(
			`${baseUrl}/wall?wall_token=${token}&scenes=screening_coverage,checkpoint_staffing,gaps&seconds=5`
		);
		const scene = page.locator('[data-testid="wall-scene"]');
		await page.locator('[data-testid="kpi-coverage"] [data-testid="kpi-value"]').waitFor();
		// Unattended, it moves through the metric scenes, then the communities with gaps, in order.
		const seen: string[] = [];
		const started = Date.now();
		while (Date.now() - started < 16_000 && !seen.some((s) => s.startsWith('重点关注'))) {
			const text = (await scene.textContent()) ?? '';
			if (text && seen.at(-1) !== text) seen.push(text);
			await page.waitForTimeout(200);
		}
		const staffing = seen.indexOf('全街道 · 卡口在岗率（全天）');
		expect(staffing, seen.join(' | ')).toBeGreaterThanOrEqual(0);
		// The coverage scene comes first; it may have passed before the first look, but never after staffing.
		const coverage = seen.indexOf('全街道 · 排查覆盖率');
		if (coverage >= 0) expect(coverage).toBeLessThan(staffing);
		else expect(staffing, seen.join(' | ')).toBe(0);
		expect(seen[staffing + 1], seen.join(' | ')).toMatch(/^重点关注：.+社区 · /);
		// A community scene zooms in.
		await expect
			.poll(
				() =>
					page.evaluate(() =>
						(window as unknown as { gridwatchMap: { getZoom(): number } }).gridwatchMap.getZoom()
					),
				{ timeout: 5000 }
			)
			.toBeGreaterThan(13);
		await page.keyboard.press('Space');
		await page.locator('[data-testid="wall-paused"]').waitFor();
		const held = await scene.textContent();
		await page.waitForTimeout(6500);
		expect(await scene.textContent()).toBe(held);
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => scene.textContent()).not.toBe(held);
		await page.keyboard.press('Space');
		expect(await page.locator('[data-testid="wall-paused"]').count()).toBe(0);
		await page.close();
	});

	describe.each(BACKENDS)('live on $name', ({ name, url: baseUrl }) => {
		it('shows a new screening within 2 s of the write, without reloading or leaving its scene', async () => {
			// On PostGIS the write goes through a second app instance: LISTEN/NOTIFY reaches every instance.
			const writer =
				name === 'PostGIS'
					? await startServer({
							DATABASE_URL: process.env.TEST_DATABASE_URL ?? '',
							GRIDWATCH_DEMO: '1'
						})
					: null;
			try {
				// A link without a threshold: with k > 1 the wall shows counts rounded to multiples of k, and one more screening need not move them.
				const token = await wallToken(baseUrl, `实时 ${name}`, '0');
				const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
				await page.goto(`${baseUrl}/wall?wall_token=${token}&seconds=600`);
				await page.locator('[data-testid="wall-live"]').waitFor();
				await page
					.locator('[data-testid="kpi-screened-today"] [data-testid="kpi-value"]')
					.waitFor();
				await page.waitForTimeout(1000);
				await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 42));
				await page.keyboard.press('ArrowRight');
				const sceneBefore = await page.locator('[data-testid="wall-scene"]').textContent();
				const before = toNumber(await kpi(page, 'screened-today'));
				const grid = new Client(writer?.url ?? baseUrl);
				await grid.signInAsDemo('demo-grid');
				const persons = (await (await grid.get('/api/persons?grid=0502')).json()).persons as {
					id: number;
				}[];
				const response = await grid.request('/api/screenings', {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: grid.baseUrl },
					body: JSON.stringify({ personId: persons[0].id, method: 'door', result: 'normal' })
				});
				expect(response.status, await response.clone().text()).toBe(201);
				const written = performance.now();
				await page.waitForFunction(
					([selector, previous]) =>
						Number((document.querySelector(selector)?.textContent ?? '').replace(/[^\d.]/g, '')) >
						Number(previous),
					[`[data-testid="kpi-screened-today"] [data-testid="kpi-value"]`, String(before)] as const,
					{ timeout: 10_000, polling: 50 }
				);
				const elapsed = performance.now() - written;
				expect(elapsed).toBeLessThan(2000);
				expect(toNumber(await kpi(page, 'screened-today'))).toBe(before + 1);
				expect(
					await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)
				).toBe(42);
				expect(await page.locator('[data-testid="wall-scene"]').textContent()).toBe(sceneBefore);
				await page.close();
			} finally {
				await writer?.stop();
			}
		});
		it('names the grid a write touched in the pushed change, so a grid leader’s page reloads for its own grid only', async () => {
			const writer =
				name === 'PostGIS'
					? await startServer({
							DATABASE_URL: process.env.TEST_DATABASE_URL ?? '',
							GRIDWATCH_DEMO: '1'
						})
					: null;
			try {
				const listener = new Client(baseUrl);
				await listener.signInAsDemo('demo-leader');
				const grid = new Client(writer?.url ?? baseUrl);
				await grid.signInAsDemo('demo-grid');
				const persons = (await (await grid.get('/api/persons?grid=0502')).json()).persons as {
					id: number;
				}[];
				const changes = await changesDuring(listener, async () => {
					const response = await grid.request('/api/screenings', {
						method: 'POST',
						headers: { 'content-type': 'application/json', origin: grid.baseUrl },
						body: JSON.stringify({ personId: persons[1].id, method: 'door', result: 'normal' })
					});
					expect(response.status, await response.clone().text()).toBe(201);
				});
				// The rollup's change (and the gaps', when the grid's items moved) name grid 0502 and only it.
				const figures = changes.filter((c) => !c.gaps);
				expect(figures.length).toBeGreaterThan(0);
				for (const change of changes) expect(change.grids).toEqual(['0502']);
			} finally {
				await writer?.stop();
			}
		});
	});

	it('refuses bad screening input with the field named, and screenings outside the writer’s scope', async () => {
		const baseUrl = inject('baseUrl');
		const grid = new Client(baseUrl);
		await grid.signInAsDemo('demo-grid');
		const post = (body: unknown) =>
			grid.request('/api/screenings', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify(body)
			});
		for (const [body, field] of [
			[{}, 'personId'],
			[{ personId: 1, method: 'telepathy' }, 'method'],
			[{ personId: 1, result: 'maybe' }, 'result'],
			[{ personId: 1, at: 'yesterday' }, 'at'],
			[{ personId: 1, at: '2030-01-01T00:00:00+08:00' }, 'at'],
			[{ personId: 1, at: '2020-02-28 10:00' }, 'at'],
			[{ personId: 3_000_000_000 }, 'personId'],
			[{ personId: 1.5 }, 'personId']
		] as const) {
			const response = await post(body);
			expect(response.status).toBe(400);
			expect((await response.json()).message).toContain(`字段 ${field} 无效`);
		}
		const other = new Client(baseUrl);
		await other.signInAsDemo('demo-data');
		const outside = (await (await other.get('/api/persons?grid=1203')).json()).persons as {
			id: number;
		}[];
		const refused = await post({ personId: outside[0].id });
		expect(refused.status).toBe(404);
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-leader');
		expect(
			(
				await leader.request('/api/screenings', {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: baseUrl },
					body: '{}'
				})
			).status
		).toBe(403);
	});

	it(
		'warns of stale data, and reconnects by itself after a server restart, showing "reconnecting" meanwhile, without a reload',
		{ timeout: 240_000 },
		async () => {
			const dataDir = await copySeededPglite('wall-restart');
			const port = await freePort();
			let server = await startServer(
				{ GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_DEMO: '1' },
				240_000,
				port
			);
			const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
			try {
				await page.goto(`${server.url}/signin`);
				await page.locator('[data-testid="demo-demo-leader"]').click();
				await page.waitForURL((url) => url.pathname === '/');
				await page.goto(`${server.url}/wall?seconds=600&stale=10`);
				await page.locator('[data-testid="wall-live"]').waitFor({ timeout: 30_000 });
				// Nothing was written here: the newest data (the evening's last report) is over 10 minutes older than the clock.
				await expect
					.poll(() => page.locator('[data-testid="wall-stale"]').textContent())
					.toContain('数据可能过时');
				await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 7));
				await server.stop();
				await page.locator('[data-testid="wall-reconnecting"]').waitFor({ timeout: 10_000 });
				server = await startServer(
					{ GRIDWATCH_DATA_DIR: dataDir, GRIDWATCH_DEMO: '1' },
					240_000,
					port
				);
				await page.locator('[data-testid="wall-live"]').waitFor({ timeout: 20_000 });
				expect(await page.locator('[data-testid="wall-reconnecting"]').count()).toBe(0);
				expect(
					await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)
				).toBe(7);
				expect(toNumber(await kpi(page, 'observed-households'))).toBeGreaterThan(0);
			} finally {
				await page.close();
				await server.stop();
				rmSync(dataDir, { recursive: true, force: true });
			}
		}
	);

	it(
		'PDFs asked for all at once: one printed, one waiting, the rest told to wait — a page in words for a person, JSON for a program',
		{ timeout: 180_000 },
		async () => {
			const leader = new Client(inject('baseUrl'));
			await leader.signInAsDemo('demo-leader');
			const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
			// Two days never printed before take the print and the one waiting place (a print takes seconds)…
			const first = ['2020-02-20', '2020-02-21'].map((day) =>
				leader.request(`/report.pdf?date=${day}`, { headers: html })
			);
			await new Promise((done) => setTimeout(done, 400));
			// …so two more asked for meanwhile, by a person (English) and by a program, are told to wait.
			const [person, program] = await Promise.all([
				leader.request('/report.pdf?date=2020-02-22&lang=en', { headers: html }),
				leader.request('/report.pdf?date=2020-02-23', { headers: { accept: 'application/json' } })
			]);
			expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
			expect(person.status).toBe(429);
			expect(person.headers.get('retry-after')).toBe('10');
			expect(person.headers.get('content-type')).toMatch(/^text\/html/);
			const page = await person.text();
			expect(page).toContain('<html lang="en">');
			expect(page).toContain('<meta http-equiv="refresh" content="10">');
			expect(page).toContain('The server is printing other PDFs');
			expect(page).toContain('href="/report.pdf?date=2020-02-22&amp;lang=en"');
			expect(page).toContain('href="/report?date=2020-02-22&amp;lang=en"');
			expect(program.status).toBe(429);
			expect(program.headers.get('retry-after')).toBe('10');
			expect(await program.json()).toMatchObject({
				code: 'busy',
				message: expect.stringContaining('服务器正在生成其他 PDF')
			});
		}
	);

	it('prints the daily report to PDF with every section, and shows it as a printable A4 page', async () => {
		const baseUrl = inject('baseUrl');
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-leader');
		const html = await (await leader.get('/report?date=2020-02-27')).text();
		expect(html).toContain('@page { size: A4');
		for (const id of ['report-map', 'report-kpis', 'report-worst', 'report-gaps'])
			expect(html).toContain(`id="${id}"`);
		const response = await leader.get('/report.pdf?date=2020-02-27');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		const pdf = Buffer.from(await response.arrayBuffer());
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/report-2020-02-27.pdf', pdf);
		const text = execFileSync('pdftotext', ['-layout', 'test-results/report-2020-02-27.pdf', '-'], {
			encoding: 'utf8'
		});
		for (const section of [
			'白杨街道疫情防控日报',
			'一、排查覆盖率分布',
			'二、主要指标',
			'三、需关注的网格',
			'四、各社区未闭环问题'
		])
			expect(text).toContain(section);
		const summary = await (await leader.get('/api/summary?date=2020-02-27')).json();
		expect(text).toContain(summary.figures.observedHouseholds.toLocaleString('zh-CN'));
		const pages = Number(
			execFileSync('pdfinfo', ['test-results/report-2020-02-27.pdf'], { encoding: 'utf8' }).match(
				/Pages:\s+(\d+)/
			)?.[1]
		);
		const size = execFileSync('pdfinfo', ['test-results/report-2020-02-27.pdf'], {
			encoding: 'utf8'
		}).match(/Page size:\s+([\d.]+) x ([\d.]+)/);
		expect(pages).toBeGreaterThanOrEqual(1);
		expect(Math.round(Number(size?.[1]))).toBe(595); // A4 in points
		// Every page is numbered "第 n 页 / 共 N 页", and the last carries the 审核 / 签发 signature block.
		const pageTexts = text.split('\f').filter((t) => t.trim());
		expect(pageTexts).toHaveLength(pages);
		pageTexts.forEach((t, i) =>
			expect(t.replace(/\s+/g, '')).toContain(`第${i + 1}页/共${pages}页`)
		);
		expect(pageTexts.at(-1)).toMatch(/审核\s+签发/);
		// Below-target figures are flagged where printed: staffing on 27 Feb is under 95 %.
		const staffing = summary.figures.staffedShiftHours / summary.figures.requiredShiftHours;
		expect(staffing).toBeLessThan(0.95);
		expect(text).toMatch(/目标 ≥ 95%\s*▼ 低于目标/);
		// The staffing figure says which it is (the whole day, not a shift), under the wall's own label (#15.3).
		expect(text).toMatch(
			new RegExp(`卡口在岗率（全天）\\s+${(staffing * 100).toFixed(1).replace('.', '\\.')}%`)
		);
		// The map: a name on every community, a scale bar, hatched grids below target (counted in the legend),
		// and on 28 Feb (reports still missing at 23:55) a dashed outline for each community without one.
		const grids = (await (await leader.get('/api/areas?level=grid&date=2020-02-27')).json())
			.features as { properties: { returneesDue: number; returneesScreened: number } }[];
		const belowTarget = grids.filter(
			(g) =>
				g.properties.returneesDue > 0 &&
				g.properties.returneesScreened / g.properties.returneesDue < 0.95
		).length;
		expect(belowTarget).toBeGreaterThan(0);
		expect(html.match(/data-below="/g)?.length).toBe(belowTarget);
		expect(html).toMatch(new RegExp(`低于目标（95%） <b>${belowTarget}</b>`));
		expect(html).toMatch(/<g class="scale"[^]*?<text[^>]*>\d+ k?m<\/text>/);
		const communities = (
			await (await leader.get('/api/areas?level=community&date=2020-02-27')).json()
		).features as { properties: { name: string } }[];
		for (const c of communities)
			expect(html).toContain(`class="label">${c.properties.name.replace(/社区$/, '')}`);
		const day28 = await (await leader.get('/report?date=2020-02-28')).text();
		const summary28 = await (await leader.get('/api/summary?date=2020-02-28')).json();
		const missing = summary28.communities - summary28.communitiesReported;
		expect(missing).toBeGreaterThan(0);
		expect(day28.match(/data-unreported="/g)?.length).toBe(missing);
		expect(day28.match(/class="missing">未上报</g)?.length).toBe(missing);
		expect(day28).toMatch(new RegExp(`当日未上报（社区） <b>${missing}</b>`));
		mkdirSync('/tmp/planner-shots', { recursive: true });
		writeFileSync('/tmp/planner-shots/report-2020-02-27.pdf', pdf);
		expect((await leader.get('/report?date=2019-01-01')).status).toBe(400);
	});
});
