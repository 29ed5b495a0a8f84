import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';

/** A tap writes, refreshes the day's figures and gaps, then reloads the page's data: seconds on a busy 2-core machine. */
const SLOW = { timeout: 15_000 };
const PHONE = {
	viewport: { width: 375, height: 667 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};

/** The checkpoint layer's people present at one checkpoint in the running shift, as the map reads it. */
async function presentAt(client: Client, checkpoint: string): Promise<number> {
	const body = (await (
		await client.get('/api/layers/checkpoints?shift=night&date=2020-02-28')
	).json()) as { checkpoints: { code: string; present: number }[] };
	const found = body.checkpoints.find((c) => c.code === checkpoint);
	if (!found) throw new Error(`checkpoint ${checkpoint} not in the layer`);
	return found.present;
}

describe('shifts: a grid leader records who has arrived', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('on a phone: the running shift lists its people; a tap marks one arrived (the map counts them), undo takes it back; refusals in words', async () => {
		const baseUrl = inject('baseUrl');
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		const watch = watchPage(page, baseUrl);
		await page.goto(`${baseUrl}/signin`);
		// Grid 1203 holds checkpoints (0502 has none: its list says so).
		await page.locator('[data-testid="demo-demo-grid-other"]').click();
		await page.waitForURL((url) => url.pathname === '/grid/1203');
		// Taps count only once the page has hydrated (the grid map draws after that).
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="map"]')?.getAttribute('data-rendered')
		);
		const section = page.locator('[data-testid="shifts"]');
		await expect
			.poll(() => section.locator('[data-testid="shift-row"]').count(), SLOW)
			.toBeGreaterThan(0);
		// At the demo's clock (23:55) the night shift 22:00–06:00 runs; the day shift from 06:00 is listed, not yet open.
		const periods = section.locator('[data-testid="shift-period"]');
		expect(await periods.first().locator('h3').textContent()).toMatch(/^22:00–06:00/);
		const running = periods.first();
		const rows = running.locator('[data-testid="shift-row"]');
		const total = await rows.count();
		const arrivedText = async () =>
			(await running.locator('[data-testid="shift-arrived"]').textContent())!.trim();
		const arrivedBefore = Number((await arrivedText()).match(/已到岗 (\d+)\//)![1]);

		// A gate-duty row of someone not yet arrived; if everyone is, take one back first.
		const client = new Client(baseUrl);
		await client.signInAsDemo('demo-grid-other');
		let target = rows.filter({ has: page.locator('[data-testid="shift-check-in"]') }).first();
		const everyoneThere = (await target.count()) === 0;
		if (everyoneThere) {
			await rows.first().locator('[data-testid="shift-undo"]').click();
			await rows.first().locator('[data-testid="shift-undo-confirm"]').click();
			await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedBefore - 1}/${total}`);
			target = rows.filter({ has: page.locator('[data-testid="shift-check-in"]') }).first();
		}
		const shiftId = await target.getAttribute('data-shift');
		// The running shift here is gate duty: the row names its checkpoint.
		const checkpoint = (await target.getAttribute('data-checkpoint'))!;
		expect(checkpoint).toMatch(/\S/);
		const leaderMap = new Client(baseUrl);
		await leaderMap.signInAsDemo('demo-leader');
		const presentBefore = await presentAt(leaderMap, checkpoint);
		const mapKey = () => page.locator('[data-testid="grid-map"] + .key').textContent();
		const keyBefore = await mapKey();
		const arrivedNow = Number((await arrivedText()).match(/已到岗 (\d+)\//)![1]);
		// The grid's live gap items, by id: an undo brings back the same items (a short post's item
		// reopens with its handling), not new ones beside closed twins.
		const liveGaps = async () =>
			(
				(await (await client.get('/api/gaps?grid=1203&state=live')).json()) as {
					items: { id: number }[];
				}
			).items
				.map((i) => i.id)
				.sort((a, b) => a - b);
		const gapsBefore = await liveGaps();

		await target.locator('[data-testid="shift-check-in"]').click();
		await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedNow + 1}/${total}`);
		const row = section.locator(`[data-shift="${shiftId}"]`);
		expect(await row.textContent()).toContain('✓ 已到岗');
		// The map's checkpoint layer counts the arrival at once; the workspace's own map reads it again
		// (a post back to full strength moves from 缺员 to 满员 in its key).
		expect(await presentAt(leaderMap, checkpoint)).toBe(presentBefore + 1);
		if (everyoneThere) await expect.poll(mapKey, SLOW).not.toBe(keyBefore);
		mkdirSync('test-results', { recursive: true });
		await section.screenshot({ path: 'test-results/shifts-phone.png' });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375
		);

		// Undo asks first, in the page (next to the thumb, not a browser dialog); cancel leaves the arrival as it was.
		const shiftPosts: string[] = [];
		page.on('request', (request) => {
			if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/shifts/'))
				shiftPosts.push(request.url());
		});
		page.on(
			'dialog',
			(dialog) => void dialog.dismiss().then(() => shiftPosts.push(`dialog: ${dialog.message()}`))
		);
		await row.locator('[data-testid="shift-undo"]').click();
		const ask = row.locator('[data-testid="shift-undo-ask"]');
		await ask.waitFor();
		expect(await ask.textContent()).toMatch(/撤销 .+ 的到岗记录？/);
		// Its two buttons are on the screen and large enough for a thumb (WCAG 2.5.5: 44 px).
		for (const button of [
			ask.locator('[data-testid="shift-undo-confirm"]'),
			ask.locator('[data-testid="shift-undo-cancel"]')
		]) {
			const box = await button.evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
			expect(box.width).toBeGreaterThanOrEqual(44);
			expect(box.height).toBeGreaterThanOrEqual(44);
			expect(box.right).toBeLessThanOrEqual(375);
		}
		await ask.locator('[data-testid="shift-undo-cancel"]').click();
		expect(await ask.count()).toBe(0);
		expect(await row.textContent()).toContain('✓ 已到岗');
		expect(await arrivedText()).toBe(`已到岗 ${arrivedNow + 1}/${total}`);
		expect(shiftPosts).toEqual([]);
		// Undo, confirmed: back as it was.
		await row.locator('[data-testid="shift-undo"]').click();
		await ask.locator('[data-testid="shift-undo-confirm"]').click();
		await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedNow}/${total}`);
		expect(await presentAt(leaderMap, checkpoint)).toBe(presentBefore);
		expect(await liveGaps()).toEqual(gapsBefore);

		// Another phone of the same grid records the arrival and takes it back: this page follows by
		// itself (the pushed change names grid 1203) ...
		const tap = (checkedIn: boolean) =>
			client.request(`/api/shifts/${shiftId}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify({ checkedIn })
			});
		expect((await tap(true)).status).toBe(200);
		await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedNow + 1}/${total}`);
		expect((await tap(false)).status).toBe(200);
		await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedNow}/${total}`);
		// ... but does not reload for another grid's write.
		const reloads: string[] = [];
		page.on('request', (request) => {
			if (new URL(request.url()).pathname.startsWith('/grid/1203/__data.json'))
				reloads.push(request.url());
		});
		const elsewhere = new Client(baseUrl);
		await elsewhere.signInAsDemo('demo-grid');
		const persons = (await (await elsewhere.get('/api/persons?grid=0502')).json()).persons as {
			id: number;
		}[];
		const screened = await elsewhere.request('/api/screenings', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseUrl },
			body: JSON.stringify({ personId: persons[0].id })
		});
		expect(screened.status).toBe(201);
		await page.waitForTimeout(2500);
		expect(reloads).toEqual([]);

		// Leave the shared database as it was (other tests read this grid's gaps).
		if (everyoneThere) {
			await row.locator('[data-testid="shift-check-in"]').click();
			await expect.poll(arrivedText, SLOW).toBe(`已到岗 ${arrivedBefore}/${total}`);
		}

		// Refusals, in words: a shift not yet open, another grid's shift, a role that only views, a bad body.
		const later = section
			.locator('[data-testid="shift-row"]')
			.filter({ hasText: '未开始' })
			.first();
		if ((await later.count()) > 0) {
			const early = await client.request(`/api/shifts/${await later.getAttribute('data-shift')}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: '{"checkedIn":true}'
			});
			expect(early.status).toBe(409);
			expect(((await early.json()) as { message: string }).message).toContain(
				'班次开始前 30 分钟起才能签到'
			);
		}
		const other = new Client(baseUrl);
		await other.signInAsDemo('demo-grid');
		expect(await (await other.get('/grid/0502')).text()).not.toContain(`data-shift="${shiftId}"`);
		const hidden = await other.request(`/api/shifts/${shiftId}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseUrl },
			body: '{"checkedIn":true}'
		});
		expect(hidden.status).toBe(404);
		expect(((await hidden.json()) as { message: string }).message).toMatch(/不在您的范围内/);
		const viewer = await leaderMap.request(`/api/shifts/${shiftId}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseUrl },
			body: '{"checkedIn":true}'
		});
		expect(viewer.status).toBe(403);
		const bad = await client.request(`/api/shifts/${shiftId}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseUrl },
			body: '{"checkedIn":"yes"}'
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { message: string }).message).toMatch(/字段 checkedIn 无效/);

		// Both taps are in the audit log.
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const audit = await (await admin.get('/admin/audit?action=shift.')).text();
		expect(audit).toMatch(/shift\.check_in(?!_undo)/);
		expect(audit).toContain('shift.check_in_undo');
		// Leadership sees the grid's figures, not who is on duty.
		const leaderPage = await (await leaderMap.get('/grid/1203')).text();
		expect(leaderPage).not.toContain('data-testid="shifts"');
		expect(leaderPage).not.toContain('staffName');
		expect(watch.errors).toEqual([]);
		expect(watch.offServerRequests).toEqual([]);
		await context.close();
	});
});
