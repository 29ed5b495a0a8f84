import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';

// First: the apply test below staffs every need, after which a plan finds nothing left to ask for.
describe('workload norms', () => {
	it('an administrator sets them (a bad value is named, nothing saved), the planner page and the next plan use them', async () => {
		const baseUrl = inject('baseUrl');
		const browser = await launchBrowser();
		const context = await browser.newContext();
		try {
			const page = await context.newPage();
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-admin"]').click();
			await page.waitForURL((url) => url.pathname === '/');
			await page.goto(`${baseUrl}/admin/gaps#norms`);
			await page.locator('[data-testid="norm-screenings"]').fill('0');
			await page.locator('[data-testid="norms-save"]').click();
			await expect
				.poll(() => page.locator('[data-testid="norms-message"]').textContent())
				.toMatch(/“每人每天完成返杭人员排查（人）”无效/);
			expect(
				await page.locator('[data-testid="norm-screenings"]').getAttribute('aria-invalid')
			).toBe('true');
			// The refused value stays in the field for correcting; the other norm shows its saved value.
			expect(await page.locator('[data-testid="norm-screenings"]').inputValue()).toBe('0');
			expect(await page.locator('[data-testid="norm-households"]').inputValue()).toMatch(
				/^\d+(\.\d+)?$/
			);
			await page.goto(`${baseUrl}/plan`);
			expect(await page.locator('[data-testid="plan-norms"]').textContent()).toContain(
				'每人每天排查 30 人'
			);

			await page.goto(`${baseUrl}/admin/gaps#norms`);
			await page.locator('[data-testid="norm-screenings"]').fill('15');
			await page.locator('[data-testid="norms-save"]').click();
			await expect
				.poll(() => page.locator('[data-testid="norms-message"]').textContent())
				.toMatch(/已保存/);
			await page.goto(`${baseUrl}/plan`);
			expect(await page.locator('[data-testid="plan-norms"]').textContent()).toContain(
				'每人每天排查 15 人'
			);
			// Half the screenings per worker: the screening needs of the next plan double (before rounding up).
			const plan = async () =>
				(await (
					await context.request.post(`${baseUrl}/api/plan`, {
						headers: { origin: baseUrl },
						data: { name: '标准测试', pool: [{ people: 1, staging: 'subdistrict' }] }
					})
				).json()) as { needs: { skill: string; people: number }[] };
			const screening = (p: { needs: { skill: string; people: number }[] }) =>
				p.needs.filter((n) => n.skill === 'screening').reduce((s, n) => s + n.people, 0);
			const at15 = screening(await plan());
			await page.goto(`${baseUrl}/admin/gaps#norms`);
			await page.locator('[data-testid="norm-screenings"]').fill('30');
			await page.locator('[data-testid="norms-save"]').click();
			await expect
				.poll(() => page.locator('[data-testid="norms-message"]').textContent())
				.toMatch(/已保存/);
			const at30 = screening(await plan());
			expect(at30).toBeGreaterThan(0);
			expect(at15).toBeGreaterThan(at30);
			const audit = await (
				await context.request.get(`${baseUrl}/admin/audit?action=planner_norms.save`)
			).text();
			expect(audit).toContain('planner_norms.save');
		} finally {
			// The defaults again, whatever happened above: later tests plan with them.
			await context.request
				.post(`${baseUrl}/admin/gaps?/norms`, {
					headers: { origin: baseUrl },
					form: { screeningsPerWorker: '30', householdsPerWorker: '10' }
				})
				.catch(() => {});
			await browser.close();
		}
	});
});

describe('reinforcement planner', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a planner enters a pool, sees both allocations and the map before and after, exports it, applies it, and the shifts and maps change', async () => {
		const baseUrl = inject('baseUrl');
		const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
		const page = await context.newPage();
		const watch = watchPage(page, baseUrl);
		await page.goto(`${baseUrl}/signin`);
		await page.locator('[data-testid="demo-demo-planner"]').click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.locator('[data-testid="nav-plan"]').click();
		await page.waitForURL((url) => url.pathname === '/plan');
		await page.locator('[data-testid="plan-form"][data-ready="true"]').waitFor();
		// Enough people for every need of the next 24 h, so that later shifts it staffs leave the gap queue.
		await page.locator('[data-testid="pool-add"]').click();
		await page.locator('[data-testid="pool-people"]').nth(2).fill('200');
		await page.locator('[data-testid="plan-name"]').fill('今晚增援');
		expect(await page.evaluate(() => window.scrollY)).toBe(0);
		await page.locator('[data-testid="plan-submit"]').click();
		await page.locator('[data-testid="plan-compare"]').waitFor();
		// The page brings the new result into view: its title at the top of the window.
		await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
		const titleTop = await page
			.locator('[data-testid="plan-scenario"]')
			.evaluate((el) => el.getBoundingClientRect().top);
		expect(titleTop).toBeGreaterThan(-2); // sub-pixel: scrollIntoView lands within a pixel of the top
		expect(titleTop).toBeLessThan(60);
		// The result explains itself: what "weighted" means, no solver or timings in the headline (they are in a footnote).
		const headline = (await page.locator('[data-testid="plan-headline"]').textContent())!;
		expect(headline).not.toMatch(/HiGHS|\d+\s*ms/);
		expect(await page.locator('[data-testid="plan-explain"]').textContent()).toContain(
			'紧急 ×3、重要 ×2、一般 ×1'
		);
		expect(await page.locator('[data-testid="plan-details"]').textContent()).toMatch(
			/HiGHS.*\d+ ms/
		);
		const optimised = Number(await page.locator('[data-testid="optimised-unmet"]').textContent());
		const greedy = Number(await page.locator('[data-testid="greedy-unmet"]').textContent());
		expect(optimised).toBeLessThanOrEqual(greedy);
		expect(await page.locator('[data-testid="plan-assignments"] tbody tr').count()).toBeGreaterThan(
			0
		);
		const sent = (
			await page
				.locator('[data-testid="plan-assignments"] tbody tr td:nth-child(5)')
				.allTextContents()
		).reduce((s, t) => s + Number(t), 0);
		expect(sent).toBeLessThanOrEqual(30 + 20 + 200);
		expect(await page.locator('[data-testid="plan-scenario"]').textContent()).toContain('今晚增援');
		expect(sent).toBeGreaterThan(0);
		// The map: after the plan fewer people are wanted than before, by exactly those sent.
		const map = page.locator('[data-testid="plan-map"]');
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered')
		);
		const after = Number(await map.getAttribute('data-total'));
		await page.locator('[data-testid="view-before"]').check();
		await expect.poll(() => map.getAttribute('data-view')).toBe('before');
		const before = Number(await map.getAttribute('data-total'));
		expect(before - after).toBe(sent);
		expect(
			(
				await page.locator('[data-testid="plan-grids"] tbody tr td:nth-child(5)').allTextContents()
			).every((t) => t.length > 4)
		).toBe(true);
		// The dispatch as CSV and XLSX (from the saved scenario), and as a printed sheet.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('[data-testid="plan-csv"]').click()
		]);
		const csv = readFileSync((await download.path())!, 'utf8');
		expect(
			csv.startsWith('\ufeff队伍,社区,网格,任务,卡口,班次,开始,人数,路程 km,网格编码,卡口编码')
		).toBe(true);
		const lines = csv.trim().split('\r\n');
		expect(lines.length - 1).toBe(
			await page.locator('[data-testid="plan-assignments"] tbody tr').count()
		);
		expect(lines.slice(1).reduce((s, l) => s + Number(l.split(',')[7]), 0)).toBe(sent);
		// Tonight's checkpoint rows name the shift and the post in words.
		const tonightRow = lines.find((l) => l.includes('2020-02-28 22:00–06:00') && l.split(',')[10])!;
		expect(tonightRow.split(',')[4]).not.toBe(tonightRow.split(',')[10]);
		expect(tonightRow.split(',')[1]).toMatch(/社区$/);
		const [xlsx] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('[data-testid="plan-xlsx"]').click()
		]);
		expect(
			readFileSync((await xlsx.path())!)
				.subarray(0, 2)
				.toString()
		).toBe('PK');
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('[data-testid="plan-assignments"]').isVisible()).toBe(true);
		expect(await page.locator('[data-testid="plan-form"]').isVisible()).toBe(false);
		await page.emulateMedia({ media: 'screen' });

		// Renamed from the list (the title follows); an empty name is refused in words.
		page.once('dialog', (dialog) => void dialog.accept('今晚增援（定稿）'));
		await page
			.locator('[data-testid="scenario-row"]')
			.first()
			.locator('[data-testid="scenario-rename"]')
			.click();
		await expect
			.poll(() => page.locator('[data-testid="plan-scenario"]').textContent())
			.toContain('今晚增援（定稿）');
		page.once('dialog', (dialog) => void dialog.accept('   '));
		await page
			.locator('[data-testid="scenario-row"]')
			.first()
			.locator('[data-testid="scenario-rename"]')
			.click();
		await expect
			.poll(() => page.locator('[data-testid="scenario-error"]').textContent())
			.toMatch(/字段 name 无效/);
		expect(await page.locator('[data-testid="scenario-row"]').first().textContent()).toContain(
			'今晚增援（定稿）'
		);
		// That refusal is the one error the browser may log here.
		expect(watch.errors).toEqual([
			'console: Failed to load resource: the server responded with a status of 400 (Bad Request)'
		]);
		watch.errors.length = 0;

		// Before applying: tonight's checkpoint staffing (the map's checkpoint layer), and a grid's
		// open gaps on the main map, open in a second tab that is not reloaded.
		const rows = await page
			.locator('[data-testid="plan-assignments"] tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()))
			);
		const tonight = rows
			.filter((r) => r[3].includes('02-28 22–06'))
			.reduce((s, r) => s + Number(r[4]), 0);
		const later = rows.find((r) => r[3].includes('02-29'));
		expect(later, 'a gate row for a later shift').toBeTruthy();
		const assigned = () =>
			page.evaluate(async () =>
				(
					await (await fetch('/api/layers/checkpoints?date=2020-02-28&shift=night')).json()
				).checkpoints.reduce((s: number, c: { assigned: number }) => s + c.assigned, 0)
			);
		const assignedBefore = await assigned();
		const mapPage = await context.newPage();
		await mapPage.goto(`${baseUrl}/?metric=open_gaps&level=grid&select=${later![1]}`);
		const panelCount = async () =>
			Number(
				((await mapPage.locator('[data-testid="panel-gaps"]').textContent()) ?? '')
					.trim()
					.split(/\s/)[0]
			);
		await expect.poll(panelCount).toBeGreaterThan(0);
		const gridGapsBefore = await panelCount();

		// A second planner window holds an earlier draft (made by the norms test), still applicable.
		const other = await context.newPage();
		await other.goto(`${baseUrl}/plan`);
		await other.locator('[data-testid="plan-form"][data-ready="true"]').waitFor();
		await other
			.locator('[data-testid="scenario-row"]', { hasText: '标准测试' })
			.first()
			.locator('[data-testid="scenario-open"]')
			.click();
		await other.locator('[data-testid="plan-scenario"]', { hasText: '标准测试' }).waitFor();
		expect(await other.locator('[data-testid="plan-apply-start"]').isEnabled()).toBe(true);
		expect(await other.evaluate(() => window.scrollY)).toBeGreaterThan(0);

		// Apply: a confirmation that says what will be written, then staff and shifts.
		await page.locator('[data-testid="plan-apply-start"]').click();
		await page.locator('[data-testid="plan-apply-confirm"]').click();
		const done = page.locator('[data-testid="plan-applied"]');
		await done.waitFor();
		expect(await done.textContent()).toContain(`已执行：${sent} 人排班 ${sent} 个班次`);
		expect(Number((await done.textContent())!.match(/关闭缺口 (\d+) 项/)![1])).toBeGreaterThan(0);
		// Why not every gap closed: tonight's shift counts arrivals, and the people rostered on it have not arrived.
		expect(tonight).toBeGreaterThan(0);
		expect(await page.locator('[data-testid="plan-applied-why"]').textContent()).toContain(
			`${tonight} 人排在正在进行的班次：本班缺口按实际到岗人数计算`
		);
		expect(await assigned()).toBe(assignedBefore + tonight);
		// The main map's count for that grid drops by itself (pushed over server-sent events).
		await expect.poll(panelCount, { timeout: 20_000 }).toBeLessThan(gridGapsBefore);
		await mapPage.close();
		// The other window's draft is out of date now: applying it is refused next to the button, which
		// is then disabled with the reason beside it.
		await other.locator('[data-testid="plan-apply-start"]').click();
		await other.locator('[data-testid="plan-apply-confirm"]').click();
		const refusal = other.locator('[data-testid="plan-apply-error"]');
		await expect.poll(() => refusal.textContent()).toMatch(/已有方案 \d+ 被执行，缺口已变化/);
		const box = async (testid: string) =>
			(await other.locator(`[data-testid="${testid}"]`).boundingBox())!;
		const button = await box('plan-apply-start');
		expect(await other.locator('[data-testid="plan-apply-start"]').isDisabled()).toBe(true);
		expect((await box('plan-apply-error')).y - (button.y + button.height)).toBeLessThan(24);
		const reason = await box('plan-apply-blocked');
		expect(Math.abs(reason.y + reason.height / 2 - (button.y + button.height / 2))).toBeLessThan(
			button.height / 2
		);
		expect(reason.x).toBeGreaterThan(button.x + button.width);
		expect(await other.locator('[data-testid="plan-apply-blocked"]').textContent()).toContain(
			'今晚增援（定稿）'
		);
		// Opened afresh, it is disabled from the start, and the list says it is out of date.
		await other.reload();
		await other.locator('[data-testid="plan-form"][data-ready="true"]').waitFor();
		const staleRow = other.locator('[data-testid="scenario-row"]', { hasText: '标准测试' }).first();
		await expect.poll(() => staleRow.textContent()).toContain('已过期');
		await staleRow.locator('[data-testid="scenario-open"]').click();
		await other.locator('[data-testid="plan-apply-blocked"]').waitFor();
		expect(await other.locator('[data-testid="plan-apply-start"]').isDisabled()).toBe(true);
		mkdirSync('/tmp/planner-shots', { recursive: true });
		writeFileSync('/tmp/planner-shots/plan-stale.png', await other.screenshot());
		await other.close();

		// The scenario is listed as applied; applying it again is refused in words.
		await expect
			.poll(() => page.locator('[data-testid="scenario-row"]').first().textContent())
			.toContain('已执行');
		const id = await page.locator('[data-testid="scenario-row"]').first().getAttribute('data-id');
		const again = await context.request.post(`${baseUrl}/api/plan/scenarios/${id}/apply`, {
			headers: { origin: baseUrl }
		});
		expect(again.status()).toBe(409);
		expect((await again.json()).message).toMatch(/已于 2020-02-28 23:55 执行过/);
		// Every need is staffed or on the way now: the next plan has nothing to ask for.
		const next = await context.request.post(`${baseUrl}/api/plan`, {
			headers: { origin: baseUrl },
			data: { pool: [{ people: 10, staging: 'subdistrict' }] }
		});
		expect(next.status()).toBe(400);
		expect((await next.json()).message).toMatch(/当前没有需要增援的缺口/);
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/plan.png', await page.screenshot({ fullPage: true }));
		await page.setViewportSize({ width: 1280, height: 1500 });
		await page.locator('[data-testid="view-after"]').check();
		await page.evaluate(() => window.scrollTo(0, 0));
		writeFileSync('test-results/plan-top.png', await page.screenshot());
		writeFileSync('/tmp/planner-shots/plan-applied.png', await page.screenshot({ fullPage: true }));
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);
		await context.close();
	}, 180_000); // a second planner window and an out-of-date draft on top of the whole flow

	it('answers an empty pool, a bad row and a refused role in words', async () => {
		const baseUrl = inject('baseUrl');
		const planner = new Client(baseUrl);
		await planner.signInAsDemo('demo-planner');
		const post = (client: Client, body: unknown) =>
			client.request('/api/plan', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify(body)
			});
		const empty = await post(planner, { pool: [] });
		expect(empty.status).toBe(400);
		expect((await empty.json()).message).toMatch(/人员池为空/);
		const bad = await post(planner, {
			pool: [
				{ people: 5, staging: 'subdistrict' },
				{ people: 'ten', staging: 'subdistrict' }
			]
		});
		expect((await bad.json()).message).toMatch(/pool\[2\]\.people/);
		const mismatch = await post(planner, {
			pool: [{ people: 5, staging: 'subdistrict', skills: ['observation'] }],
			horizon: 'shift'
		});
		expect([200, 400]).toContain(mismatch.status);
		const grid = new Client(baseUrl);
		await grid.signInAsDemo('demo-grid');
		expect((await post(grid, { pool: [{ people: 5, staging: 'subdistrict' }] })).status).toBe(403);
	});
});
