import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';

const PHONE = {
	viewport: { width: 375, height: 667 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};

async function signIn(page: Page, baseUrl: string, who: string) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator(`[data-testid="demo-${who}"]`).click();
}

/** The grid's open-gap figure as the map's side panel shows it. */
async function mapCount(page: Page, baseUrl: string, grid: string): Promise<number> {
	await page.goto(`${baseUrl}/?metric=open_gaps&level=grid&select=${grid}`);
	const text = await page.locator('[data-testid="panel-gaps"]').textContent();
	return Number(text!.trim().split(/\s/)[0]);
}

describe('gaps: the grid leader’s workspace', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('on a phone: a grid leader lands on their grid, sees its gaps, assigns and resolves one, and the map’s count drops', async () => {
		const baseUrl = inject('baseUrl');
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		const watch = watchPage(page, baseUrl);
		await signIn(page, baseUrl, 'demo-grid-other');
		await page.waitForURL((url) => url.pathname === '/grid/1203');
		await expect
			.poll(() => page.locator('[data-testid="grid-title"]').textContent())
			.toBe('网格 1203');
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered')
		);
		// Mobile first: nothing wider than the phone.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375
		);
		const before = Number(await page.locator('[data-testid="open-count"]').textContent());
		expect(before).toBeGreaterThan(0);
		const items = page.locator('[data-testid="todo"] [data-testid="gap-item"]');
		expect(await items.count()).toBe(before);
		// Every item says what and where in words.
		for (const message of await items.locator('[data-testid="gap-message"]').allTextContents())
			expect(message).toMatch(/网格 1203|卡口|楼道岗|道口/);
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/grid-phone.png', await page.screenshot({ fullPage: true }));
		expect(await mapCount(page, baseUrl, '1203')).toBe(before);

		await page.goto(`${baseUrl}/grid/1203`);
		const first = items.first();
		const id = await first.getAttribute('data-gap-id');
		const message = await first.locator('[data-testid="gap-message"]').textContent();
		// Assign to a staff member of the grid.
		await first.locator('[data-testid="gap-assign"]').click();
		const staff = first.locator('[data-testid="gap-staff"]');
		await expect.poll(() => staff.locator('option').count()).toBeGreaterThan(1);
		const chosen = (await staff.locator('option').nth(1).textContent())!;
		await staff.selectOption({ index: 1 });
		await first.locator('[data-testid="gap-assign-submit"]').click();
		const item = page.locator(`[data-gap-id="${id}"]`);
		await expect
			.poll(() => item.locator('[data-testid="gap-assignee"]').textContent())
			.toBe(chosen.split('（')[0] + '（' + chosen.split('（')[1].split('，')[0] + '）');
		expect(await item.getAttribute('data-status')).toBe('acknowledged');
		// Resolve with a note: it leaves the to-do list.
		await item.locator('[data-testid="gap-resolve"]').click();
		await item.locator('[data-testid="gap-note"]').fill('已上门核查并完成');
		await item.locator('[data-testid="gap-resolve-submit"]').click();
		await expect
			.poll(() => page.locator('[data-testid="open-count"]').textContent())
			.toBe(String(before - 1));
		expect(await page.locator(`[data-testid="todo"] [data-gap-id="${id}"]`).count()).toBe(0);
		// Its history says who did what.
		await page.locator('.history summary').click();
		const resolved = page.locator(`[data-gap-id="${id}"]`).first();
		expect(await resolved.getAttribute('data-status')).toBe('resolved');
		await resolved.locator('[data-testid="gap-history-toggle"]').click();
		await expect
			.poll(() => resolved.locator('[data-testid="gap-events"] li').count())
			.toBeGreaterThanOrEqual(3);
		const events = await resolved.locator('[data-testid="gap-events"] li').allTextContents();
		expect(events[0]).toMatch(/发现 · 系统/);
		expect(events.slice(-2)).toEqual([
			expect.stringMatching(/指派 · 东湾第3网格网格长/),
			expect.stringMatching(/处置 · 东湾第3网格网格长（演示）：已上门核查并完成/)
		]);
		writeFileSync(
			'test-results/grid-phone-resolved.png',
			await page.screenshot({ fullPage: true })
		);
		// The map's count drops by one.
		expect(await mapCount(page, baseUrl, '1203')).toBe(before - 1);
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);

		// Audited.
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const audit = await (await admin.get('/admin/audit?action=gap.resolve')).text();
		expect(audit.replace(/<!--.*?-->/g, '')).toMatch(new RegExp(`缺口 ${id}\\b`));
		expect(message).toBeTruthy();
		await context.close();
	});

	it('closes an item by itself when its cause is gone: the grid leader screens the overdue returnees', async () => {
		const baseUrl = inject('baseUrl');
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-grid-other');
		const live = (await (await leader.get('/api/gaps?grid=1203&state=live')).json()).items as {
			id: number;
			rule: string;
		}[];
		const item = live.find((i) => i.rule === 'returnee_unscreened');
		expect(item).toBeDefined();
		const records = await (await leader.get(`/api/gaps/${item!.id}/records`)).json();
		expect(records.persons.length).toBeGreaterThan(0);
		for (const person of records.persons as { id: number }[]) {
			const response = await leader.request('/api/screenings', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify({ personId: person.id, method: 'door', result: 'normal' })
			});
			expect(response.status).toBe(201);
		}
		const after = await (await leader.get(`/api/gaps/${item!.id}`)).json();
		expect(after.closedAt).not.toBeNull();
		expect(after.events.at(-1).action).toBe('closed');
		expect(after.events.at(-1).actor).toBeNull();
	});

	it('prints a daily checklist of what is still to do', async () => {
		const baseUrl = inject('baseUrl');
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		await signIn(page, baseUrl, 'demo-grid-other');
		await page.waitForURL((url) => url.pathname === '/grid/1203');
		const open = Number(await page.locator('[data-testid="open-count"]').textContent());
		expect(open).toBeGreaterThan(0);
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('[data-testid="checklist"]').isVisible()).toBe(true);
		expect(await page.locator('[data-testid="gap-list"]').first().isVisible()).toBe(false);
		const lines = await page.locator('[data-testid="checklist"] li').allTextContents();
		expect(lines.length).toBeGreaterThanOrEqual(open);
		expect(lines.every((l) => l.startsWith('☐'))).toBe(true);
		await context.close();
	});

	it('keeps to scope: another grid is refused, leadership may look but not act, bad input is answered in words', async () => {
		const baseUrl = inject('baseUrl');
		const grid = new Client(baseUrl);
		await grid.signInAsDemo('demo-grid');
		expect((await grid.get('/grid/1203')).status).toBe(403);
		const mine = await (await grid.get('/api/gaps?grid=0502')).json();
		expect(mine.items.every((i: { gridCode: string }) => i.gridCode === '0502')).toBe(true);
		expect(
			(await (await grid.get('/api/gaps')).json()).items.every(
				(i: { gridCode: string | null }) => i.gridCode === '0502'
			)
		).toBe(true);

		const other = new Client(baseUrl);
		await other.signInAsDemo('demo-grid-other');
		const theirs = (await (await other.get('/api/gaps?grid=1203&state=live')).json()).items as {
			id: number;
		}[];
		expect(theirs.length).toBeGreaterThan(0);
		const post = (client: Client, id: number | string, body: unknown) =>
			client.request(`/api/gaps/${id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: typeof body === 'string' ? body : JSON.stringify(body)
			});
		// Not theirs: not found (not even its existence is confirmed).
		expect((await post(grid, theirs[0].id, { action: 'acknowledge' })).status).toBe(404);
		expect((await grid.get(`/api/gaps/${theirs[0].id}`)).status).toBe(404);

		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-leader');
		expect((await leader.get('/grid/0502')).status).toBe(200);
		const leaderItems = (await (await leader.get('/api/gaps')).json()).items as {
			detail: Record<string, unknown>;
		}[];
		expect(leaderItems.length).toBeGreaterThan(mine.items.length);
		// Aggregates only: the counts, not the households or people behind them.
		expect(leaderItems.some((i) => 'persons' in i.detail || 'households' in i.detail)).toBe(false);
		expect(
			mine.items.some((i: { detail: Record<string, unknown> }) =>
				Array.isArray(i.detail.households)
			)
		).toBe(true);
		const refused = await post(leader, mine.items[0].id, { action: 'acknowledge' });
		expect(refused.status).toBe(403);

		const id = mine.items[0].id;
		const cases: [unknown, RegExp][] = [
			['{', /JSON/],
			[{ action: 'close' }, /字段 action 无效.*acknowledge/],
			[{ action: 'resolve' }, /字段 note 无效：处置时须填写处置说明/],
			[{ action: 'resolve', note: 'x'.repeat(501) }, /字段 note 无效/],
			[{ action: 'assign', staffId: 'abc' }, /字段 staffId 无效/],
			[{ action: 'assign', staffId: 999999 }, /字段 staffId 无效.*999999/]
		];
		for (const [body, pattern] of cases) {
			const response = await post(grid, id, body);
			expect(response.status, JSON.stringify(body)).toBe(400);
			expect((await response.json()).message).toMatch(pattern);
		}
		expect((await post(grid, 'abc', { action: 'acknowledge' })).status).toBe(400);
		expect((await grid.get('/api/gaps?state=everything')).status).toBe(400);
		expect((await grid.get('/api/gaps?grid=12')).status).toBe(400);
	});

	it('rolls a community up from its grids', async () => {
		const baseUrl = inject('baseUrl');
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, baseUrl, 'demo-community');
		await page.waitForURL((url) => url.pathname === '/');
		const areas = await (await page.request.get(`${baseUrl}/api/areas?level=grid`)).json();
		const grids = areas.features.filter(
			(f: { properties: { communityCode: string } }) =>
				f.properties.communityCode === '330114002002'
		);
		await page.goto(`${baseUrl}/community/330114002002`);
		const total = Number(await page.locator('[data-testid="community-open"]').textContent());
		const sum = grids.reduce(
			(s: number, f: { properties: { openGaps: number } }) => s + f.properties.openGaps,
			0
		);
		// The community's own items (missing reports) come on top of its grids'.
		expect(total).toBeGreaterThanOrEqual(sum);
		for (const f of grids)
			expect(
				Number(await page.locator(`[data-testid="grid-open-${f.properties.code}"]`).textContent())
			).toBe(f.properties.openGaps);
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/community.png', await page.screenshot({ fullPage: true }));
		await page.close();
	});

	it('rolls the subdistrict up for the command centre, with filters', async () => {
		const baseUrl = inject('baseUrl');
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, baseUrl, 'demo-leader');
		await page.waitForURL((url) => url.pathname === '/');
		await page.locator('[data-testid="nav-gaps"]').click();
		await page.waitForURL((url) => url.pathname === '/gaps');
		const total = Number(await page.locator('[data-testid="gaps-total"]').textContent());
		const perCommunity = await page
			.locator('[data-testid="gaps-communities"] tbody tr td:nth-child(2)')
			.allTextContents();
		expect(perCommunity).toHaveLength(25);
		expect(perCommunity.reduce((s, t) => s + Number(t), 0)).toBe(total);
		const all = Number(
			(await page.locator('[data-testid="gaps-shown"]').textContent())!.split(' ')[0]
		);
		await page.locator('[data-testid="filter-rule"]').selectOption('checkpoint_short');
		const shifts = Number(
			(await page.locator('[data-testid="gaps-shown"]').textContent())!.split(' ')[0]
		);
		expect(shifts).toBeGreaterThan(0);
		expect(shifts).toBeLessThan(all);
		expect(
			await page.locator('[data-testid="gap-item"][data-rule="checkpoint_short"]').count()
		).toBe(shifts);
		// Leadership reads; it does not act.
		expect(await page.locator('[data-testid="gap-acknowledge"]').count()).toBe(0);
		await page.close();
	});

	it('lets an administrator change a rule’s setting, refusing a bad value by name', async () => {
		const baseUrl = inject('baseUrl');
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const bad = await admin.postForm('/admin/gaps?/save', {
			returneeHours: '0',
			healthCheckBy: '12:00',
			reportCutoff: '22:00',
			serviceGraceMinutes: '60',
			serviceLookbackHours: '48',
			shiftHorizonHours: '24',
			reportLookbackDays: '2',
			observationEndingHours: '48',
			serviceKinds: 'garbage'
		});
		expect(bad.status).toBe(400);
		const badPage = await bad.text();
		expect(badPage).toContain('“返杭人员超过多少小时未排查算缺口”无效');
		// The refused form keeps what was typed: the bad value, and only the ticked service kind.
		expect(badPage).toMatch(/name="returneeHours"[^>]*value="0"/);
		expect(badPage).toMatch(/value="garbage"[^>]*checked/);
		expect(badPage).not.toMatch(/value="delivery"[^>]*checked/);
		const time = await admin.postForm('/admin/gaps?/save', {
			returneeHours: '24',
			healthCheckBy: '9点',
			reportCutoff: '22:00',
			serviceGraceMinutes: '60',
			serviceLookbackHours: '48',
			shiftHorizonHours: '24',
			reportLookbackDays: '2',
			observationEndingHours: '48',
			serviceKinds: 'garbage'
		});
		expect(await time.text()).toContain('“居家观察户健康随访截止时间”无效');
		// A returnee counts as overdue only after 72 h: fewer returnee gaps; back to 24 h: as before.
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-leader');
		const returneeItems = async () =>
			((await (await leader.get('/api/gaps')).json()).items as { rule: string; count: number }[])
				.filter((i) => i.rule === 'returnee_unscreened')
				.reduce((s, i) => s + i.count, 0);
		const before = await returneeItems();
		const fields = {
			healthCheckBy: '12:00',
			reportCutoff: '22:00',
			serviceGraceMinutes: '60',
			serviceLookbackHours: '48',
			shiftHorizonHours: '24',
			reportLookbackDays: '2',
			observationEndingHours: '48',
			serviceKinds: 'garbage'
		};
		const saved = await admin.postForm('/admin/gaps?/save', { ...fields, returneeHours: '72' });
		expect(saved.status).toBe(200);
		expect(await returneeItems()).toBeLessThan(before);
		const body = new URLSearchParams({ ...fields, returneeHours: '24' });
		body.append('serviceKinds', 'delivery');
		await admin.request('/admin/gaps?/save', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
			body: body.toString()
		});
		expect(await returneeItems()).toBe(before);
	});

	it('gives aggregate-only roles no person-level text: no assigned staff, no notes, in the item or its history (issue 16 item 4)', async () => {
		const baseUrl = inject('baseUrl');
		const worker = new Client(baseUrl);
		await worker.signInAsDemo('demo-grid-other');
		const post = (id: number, body: unknown) =>
			worker.request(`/api/gaps/${id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify(body)
			});
		const open = (await (await worker.get('/api/gaps?grid=1203')).json()).items as { id: number }[];
		expect(open.length).toBeGreaterThan(0);
		const id = open[0].id;
		const staff = (await (await worker.get('/api/staff?grid=1203')).json()) as
			{ staff?: { id: number }[] } | { id: number }[];
		const staffId = (Array.isArray(staff) ? staff : staff.staff!)[0].id;
		expect((await post(id, { action: 'assign', staffId })).status).toBe(200);
		const note = '已联系住户王某某，电话已核实';
		expect((await post(id, { action: 'resolve', note })).status).toBe(200);
		// The grid's own leader reads it all.
		const own = await (await worker.get(`/api/gaps/${id}`)).json();
		expect(own.resolutionNote).toBe(note);
		expect(own.assignedStaff).toMatch(/（/);
		expect(own.events.some((e: { note: string | null }) => e.note === note)).toBe(true);
		expect(
			own.events.some(
				(e: { detail: Record<string, unknown> }) => typeof e.detail.staff === 'string'
			)
		).toBe(true);
		for (const who of ['demo-leader', 'demo-planner', 'demo-admin']) {
			const client = new Client(baseUrl);
			await client.signInAsDemo(who);
			const one = await client.get(`/api/gaps/${id}`);
			expect(one.status, who).toBe(200);
			const item = await one.json();
			const list = (await (await client.get('/api/gaps?state=live')).json()).items as Record<
				string,
				unknown
			>[];
			const listed = list.find((i) => i.id === id);
			expect(listed, who).toBeDefined();
			for (const text of [JSON.stringify(item), JSON.stringify(listed)]) {
				expect(text, who).not.toContain('王某某');
				expect(text, who).not.toContain(own.assignedStaff);
			}
			expect(item.resolutionNote, who).toBeNull();
			expect(item.assignedStaff, who).toBeNull();
			expect(item.events.length, who).toBe(own.events.length);
			for (const e of item.events as { note: string | null; detail: Record<string, unknown> }[]) {
				expect(e.note, who).toBeNull();
				expect(
					Object.keys(e.detail).filter((k) =>
						['staff', 'staffId', 'persons', 'households'].includes(k)
					),
					who
				).toEqual([]);
			}
		}
		// Leave the grid's open items as they were for the files after this one.
		expect((await post(id, { action: 'reopen', note: null })).status).toBe(200);
	});
});
