import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';
import { PHONE, SLOW, json, newIdNumber } from './capture-support';
import type {
	AddressList,
	DailyReportState,
	ReturneeCreated
} from '../../src/lib/features/capture/contract';
import type { AreaCollection } from '../../src/lib/features/map/contract';

// Every test here runs against the app on PGlite and, when TEST_DATABASE_URL is set (CI), on PostGIS.
const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];
const toCount = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/** Today's screenings in 0502's community (the roll-up the wall and the map read), and 0502's returnees screened. */
async function communityFigures(
	client: Client
): Promise<{ screenedToday: number; gridScreened: number }> {
	const areas = async (level: string) =>
		(
			(await (
				await client.get(`/api/areas?level=${level}&date=2020-02-28`)
			).json()) as AreaCollection
		).features;
	const grid = (await areas('grid')).find((g) => g.properties.code === '0502')!;
	const community = (await areas('community')).find(
		(c) => c.properties.code === grid.properties.communityCode
	)!;
	return {
		screenedToday: community.properties.screenedToday,
		gridScreened: grid.properties.returneesScreened
	};
}

/** The grid's returnees as the grid leader's list has them. */
async function returnees(client: Client, grid: string): Promise<{ id: number }[]> {
	return (await (await client.get(`/api/persons?grid=${grid}`)).json()).persons;
}

describe.each(BACKENDS)('capture on $name: registering a returnee', ({ url: baseUrl }) => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it(
		'on a phone: the grid leader registers a returnee by typing the address; the gap appears, a screening closes it and a wall screen shows it within 2 s',
		{ timeout: 45_000 },
		async () => {
			const leader = new Client(baseUrl);
			await leader.signInAsDemo('demo-grid');
			const addresses = (await (
				await leader.get('/api/addresses?grid=0502')
			).json()) as AddressList;
			const target = addresses.households.find((h) => h.compound && h.unit === '2单元')!;
			expect(target).toBeDefined();

			const context = await browser.newContext(PHONE);
			const page = await context.newPage();
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-grid"]').click();
			await page.waitForURL((u) => u.pathname === '/grid/0502');
			await page.locator('[data-testid="capture-returnee"] summary').click();
			const form = page.locator('[data-testid="returnee-form"]');
			await form.locator('[data-testid="returnee-name"]').fill('王小明');
			await form.locator('[data-testid="returnee-phone"]').fill('139 0571 2345');
			// A mistyped ID number is refused before anything is sent, in words.
			const id = newIdNumber();
			const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
			await form.locator('[data-testid="returnee-id"]').fill(wrong);
			await form.locator('[data-testid="returnee-origin"]').fill('湖北省孝感市');
			// Arrived 22:00 the day before the demo's clock (23:55 on its last day): more than 24 h ago.
			await form.locator('[data-testid="returnee-arrived"]').fill('2020-02-27T22:00');
			await form
				.locator('[data-testid="address-search"]')
				.fill(
					`${target.compound} ${target.building.replace('幢', '栋')} ${target.unit}${target.room}`
				);
			await form.locator('[data-testid="address-match"]').first().click();
			await expect
				.poll(() => form.locator('[data-testid="address-chosen"]').textContent())
				.toBe(`${target.compound}${target.building}${target.unit}${target.room}室`);
			const before = await returnees(leader, '0502');
			await form.locator('[data-testid="returnee-submit"]').click();
			await expect
				.poll(() => form.locator('[data-testid="error-idNumber"]').textContent())
				.toBe('身份证号校验位不对，请核对每一位');
			expect((await returnees(leader, '0502')).length).toBe(before.length);

			await form.locator('[data-testid="returnee-id"]').fill(id);
			await form.locator('[data-testid="returnee-submit"]').click();
			await expect
				.poll(() => form.locator('[data-testid="returnee-message"]').textContent(), SLOW)
				.toContain('已登记 王*明');
			// Mobile first: the form is no wider than the phone.
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				375
			);
			mkdirSync('test-results', { recursive: true });
			writeFileSync('test-results/capture-returnee.png', await form.screenshot());

			const after = await returnees(leader, '0502');
			expect(after.length).toBe(before.length + 1);
			const added = after.find((p) => !before.some((b) => b.id === p.id))!;
			// More than 24 hours since arrival, not screened: in the grid's 超 24 小时未排查 item.
			const gapWith = async () => {
				const live = (await (await leader.get('/api/gaps?grid=0502&state=live')).json()).items as {
					id: number;
					rule: string;
				}[];
				const item = live.find((i) => i.rule === 'returnee_unscreened');
				if (!item) return null;
				const records = await (await leader.get(`/api/gaps/${item.id}/records`)).json();
				return (records.persons as { id: number }[]).some((p) => p.id === added.id)
					? item.id
					: null;
			};
			expect(await gapWith()).not.toBeNull();
			// A wall screen is open (a leader's, at the command centre): it is to show the screening within 2 s.
			const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
			const wall = await wallContext.newPage();
			await wall.goto(`${baseUrl}/signin`);
			await wall.locator('[data-testid="demo-demo-leader"]').click();
			await wall.waitForURL((u) => u.pathname === '/');
			await wall.goto(`${baseUrl}/wall?seconds=600&scenes=screening_coverage`);
			const screenedToday = wall.locator(
				'[data-testid="kpi-screened-today"] [data-testid="kpi-value"]'
			);
			await screenedToday.waitFor({ timeout: 120_000 });
			await expect.poll(() => wall.locator('[data-testid="wall-live"]').count(), SLOW).toBe(1);
			const wallBefore = await screenedToday.textContent();
			const communityBefore = await communityFigures(leader);

			// From the item's 名单 on the phone: 排查 the new person, temperature taken; it takes them out at once.
			const itemId = await gapWith();
			await page.reload();
			const item = page.locator(`[data-gap-id="${itemId}"]`);
			await item.locator('[data-testid="gap-records"]').click();
			const row = item.locator(`tr[data-person-id="${added.id}"]`);
			await row.locator('[data-testid="screen-person"]').click();
			const screening = item.locator('[data-testid="screening-form"]');
			await screening.locator('[data-testid="screening-temperature"]').fill('44');
			await screening.locator('[data-testid="screening-submit"]').click();
			await expect
				.poll(() => screening.locator('[data-testid="screening-error"]').textContent())
				.toBe('体温应在 34–43 °C 之间');
			await screening.locator('[data-testid="screening-temperature"]').fill('36.6');
			await screening.locator('[data-testid="screening-note"]').fill('入户测温正常');
			const answered = page.waitForResponse(
				(r) => r.url().endsWith('/api/screenings') && r.status() === 201
			);
			await screening.locator('[data-testid="screening-submit"]').click();
			await answered;
			const savedAt = Date.now();
			// The wall, told by the event stream, shows one more screened today within 2 s; the community
			// roll-up and the grid's coverage changed in the screening's own transaction.
			await expect
				.poll(() => screenedToday.textContent(), { timeout: 2_000, interval: 50 })
				.not.toBe(wallBefore);
			const wallSeconds = (Date.now() - savedAt) / 1000;
			console.log(
				`capture loop: the wall showed the screening ${wallSeconds.toFixed(2)} s after it was saved`
			);
			expect(toCount(await screenedToday.textContent())).toBe(toCount(wallBefore) + 1);
			const communityAfter = await communityFigures(leader);
			expect(communityAfter.screenedToday).toBe(communityBefore.screenedToday + 1);
			expect(communityAfter.gridScreened).toBe(communityBefore.gridScreened + 1);
			await wallContext.close();
			await expect.poll(() => gapWith(), SLOW).toBeNull();
			writeFileSync('test-results/capture-screening.png', await page.screenshot());
			expect(await gapWith()).toBeNull();
			expect(watch.errors).toEqual([]);
			expect(watch.offServerRequests).toEqual([]);
			await context.close();
		}
	);

	it(
		'offline on a phone: after a first visit the workspace opens offline with its age; a registration is kept as 待上传 and written once when the network returns',
		{ timeout: 60_000 },
		async () => {
			const leader = new Client(baseUrl);
			await leader.signInAsDemo('demo-grid');
			const context = await browser.newContext(PHONE);
			const page = await context.newPage();
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-grid"]').click();
			await page.waitForURL((u) => u.pathname === '/grid/0502');
			// The first visit installs the offline copy; the next load online is what it keeps.
			await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
			await page.reload();
			await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
			await page.locator('[data-testid="capture-returnee"] summary').click();
			await expect
				.poll(() => page.locator('[data-testid="pick-compound"] option').count())
				.toBeGreaterThan(1);
			const before = (await returnees(leader, '0502')).length;
			const openOnline = await page.locator('[data-testid="open-count"]').textContent();

			// Offline: the workspace still opens, says it is a copy and how old, and the form works.
			await context.setOffline(true);
			await page.reload();
			await expect
				.poll(() => page.locator('[data-testid="grid-title"]').textContent())
				.toBe('网格 0502');
			await expect
				.poll(() => page.locator('[data-testid="offline-notice"]').textContent())
				.toMatch(/离线：显示的是 \d{2}:\d{2} 联网时保存的内容（\d+ 分钟前）/);
			expect(await page.locator('[data-testid="open-count"]').textContent()).toBe(openOnline);
			await page.locator('[data-testid="capture-returnee"] summary').click();
			const form = page.locator('[data-testid="returnee-form"]');
			await expect
				.poll(() => form.locator('[data-testid="address-copy-age"]').textContent())
				.toMatch(/离线副本：\d{2}:\d{2} 取得/);
			await form.locator('[data-testid="returnee-name"]').fill('孙八');
			await form.locator('[data-testid="returnee-phone"]').fill('13511112222');
			await form.locator('[data-testid="returnee-id"]').fill(newIdNumber());
			await form.locator('[data-testid="returnee-origin"]').fill('河南省信阳市');
			await form.locator('[data-testid="address-search"]').fill('2单元301');
			await form.locator('[data-testid="address-match"]').first().click();

			await form.locator('[data-testid="returnee-submit"]').click();
			await expect
				.poll(() => form.locator('[data-testid="returnee-message"]').textContent())
				.toContain('已存入待上传');
			await expect
				.poll(() => page.locator('[data-testid="outbox-count"]').textContent())
				.toBe('1 条待上传');
			// Trying again while offline keeps it; nothing reaches the server.
			await page.locator('[data-testid="outbox-send"]').click();
			await expect
				.poll(() => page.locator('[data-testid="outbox-count"]').textContent())
				.toBe('1 条待上传');
			expect((await returnees(leader, '0502')).length).toBe(before);
			// A date that does not exist is a 400 on the report's GET too.
			const data = new Client(baseUrl);
			await data.signInAsDemo('demo-data');
			for (const date of ['2020-02-30', '0000-01-01'])
				expect(
					(await data.get(`/api/daily-reports?community=330114002002&date=${date}`)).status,
					date
				).toBe(400);

			// Back online: sent by itself, once; the outbox empties.
			await context.setOffline(false);
			// The browser's online event sends it; the 30-second retry is the fallback.
			await expect
				.poll(() => page.locator('[data-testid="outbox"]').count(), { timeout: 40_000 })
				.toBe(0);
			expect((await returnees(leader, '0502')).length).toBe(before + 1);
			// A reload (the outbox reads IndexedDB again) has nothing left to send.
			await page.reload();
			await page.waitForTimeout(500);
			expect(await page.locator('[data-testid="outbox"]').count()).toBe(0);
			expect((await returnees(leader, '0502')).length).toBe(before + 1);
			await context.close();
		}
	);

	it(
		'refuses an invalid ID number, a future arrival, a room that does not exist and an ID registered elsewhere, in words, writing nothing',
		SLOW,
		async () => {
			const leader = new Client(baseUrl);
			await leader.signInAsDemo('demo-grid');
			const other = new Client(baseUrl);
			await other.signInAsDemo('demo-grid-other');
			const { households } = (await (
				await leader.get('/api/addresses?grid=0502')
			).json()) as AddressList;
			const { households: otherHouseholds } = (await (
				await other.get('/api/addresses?grid=1203')
			).json()) as AddressList;
			const good = {
				name: '赵六',
				phone: '13700001111',
				idNumber: newIdNumber(),
				origin: '江西省南昌市',
				arrivedAt: '2020-02-28T08:00:00+08:00',
				householdId: households[0].householdId
			};
			const before = (await returnees(leader, '0502')).length;
			const refusals: [object, string, RegExp][] = [
				[
					{
						...good,
						idNumber: good.idNumber.slice(0, 17) + (good.idNumber[17] === '1' ? '2' : '1')
					},
					'idNumber',
					/校验位/
				],
				[{ ...good, idNumber: '110105491231002' }, 'idNumber', /15 位/],
				[{ ...good, arrivedAt: '2020-03-01T08:00:00+08:00' }, 'arrivedAt', /不能晚于现在/],
				[{ ...good, phone: '12345' }, 'phone', /11 位/],
				[{ ...good, origin: '湖北\u0000武汉' }, 'origin', /控制字符/],
				[
					{ ...good, householdId: undefined, address: '文渊名邸99999999999-1-302' },
					'address',
					/没有找到/
				],
				[
					{ ...good, householdId: undefined, address: '文渊名邸99幢9单元9909' },
					'address',
					/没有找到/
				],
				[
					{ ...good, householdId: otherHouseholds[0].householdId },
					'householdId',
					/不在你负责的网格/
				]
			];
			for (const [body, field, words] of refusals) {
				const response = await json(leader, '/api/returnees', body);
				expect(response.status, field).toBe(400);
				const answer = await response.json();
				expect(answer.field).toBe(field);
				expect(answer.message).toMatch(words);
			}
			// In English when the user reads English.
			const reader = new Client(baseUrl);
			await reader.signInAsDemo('demo-grid');
			const english = await json(reader, '/api/returnees?lang=en', { ...good, phone: '1' });
			expect((await english.json()).message).toMatch(/mobile number/);
			expect((await returnees(leader, '0502')).length).toBe(before);

			// Registered here; another grid's leader is told where, not who.
			expect((await json(leader, '/api/returnees', good)).status).toBe(201);
			const twice = await json(other, '/api/returnees', {
				...good,
				householdId: otherHouseholds[0].householdId
			});
			expect(twice.status).toBe(409);
			const said = await twice.json();
			expect(said).toMatchObject({ code: 'already_registered', field: 'idNumber' });
			expect(said.message).toMatch(/0502 网格/);
			// Aggregate-only roles cannot register anyone.
			const planner = new Client(baseUrl);
			await planner.signInAsDemo('demo-planner');
			expect((await json(planner, '/api/returnees', good)).status).toBe(403);
		}
	);

	it(
		'writes a submission once: a replay with its Idempotency-Key returns the first answer; copies sent together write one row; a key reused for another body is refused',
		SLOW,
		async () => {
			const leader = new Client(baseUrl);
			await leader.signInAsDemo('demo-grid');
			const { households } = (await (
				await leader.get('/api/addresses?grid=0502')
			).json()) as AddressList;
			const body = {
				name: '钱七',
				phone: '13600002222',
				idNumber: newIdNumber(),
				origin: '安徽省',
				arrivedAt: '2020-02-28T10:00:00+08:00',
				householdId: households[1].householdId
			};
			const key = `test-${crypto.randomUUID()}`;
			const before = (await returnees(leader, '0502')).length;
			const first = await json(leader, '/api/returnees', body, { 'idempotency-key': key });
			expect(first.status).toBe(201);
			expect(first.headers.get('idempotent-replayed')).toBeNull();
			const created = (await first.json()) as ReturneeCreated;
			const again = await json(leader, '/api/returnees', body, { 'idempotency-key': key });
			expect(again.status).toBe(201);
			expect(again.headers.get('idempotent-replayed')).toBe('true');
			expect(await again.json()).toEqual(created);
			expect((await returnees(leader, '0502')).length).toBe(before + 1);

			// Three copies at once under a new key: one row, three identical answers.
			const together = { ...body, idNumber: newIdNumber() };
			const key2 = `test-${crypto.randomUUID()}`;
			const answers = await Promise.all(
				[1, 2, 3].map(() => json(leader, '/api/returnees', together, { 'idempotency-key': key2 }))
			);
			expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
			const ids = new Set(await Promise.all(answers.map(async (a) => (await a.json()).personId)));
			expect(ids.size).toBe(1);
			expect((await returnees(leader, '0502')).length).toBe(before + 2);

			// The same key with a different body, and a malformed key.
			const reused = await json(
				leader,
				'/api/returnees',
				{ ...body, idNumber: newIdNumber() },
				{ 'idempotency-key': key }
			);
			expect(reused.status).toBe(422);
			expect((await reused.json()).code).toBe('idempotency_key_reused');
			const malformed = await json(leader, '/api/returnees', body, { 'idempotency-key': 'short' });
			expect(malformed.status).toBe(400);
			// Screenings take a key too.
			const screen = { personId: created.personId, method: 'phone', result: 'normal' };
			const key3 = `test-${crypto.randomUUID()}`;
			const s1 = await json(leader, '/api/screenings', screen, { 'idempotency-key': key3 });
			const s2 = await json(leader, '/api/screenings', screen, { 'idempotency-key': key3 });
			expect([s1.status, s2.status]).toEqual([201, 201]);
			expect((await s2.json()).id).toBe((await s1.json()).id);
			expect(s2.headers.get('idempotent-replayed')).toBe('true');
			expect((await returnees(leader, '0502')).length).toBe(before + 2);
		}
	);

	it(
		'on a phone: a community lead sends the daily report, corrects a figure with its reason, every version is kept; others are refused',
		{ timeout: 45_000 },
		async () => {
			const community = '330114002002';
			const lead = new Client(baseUrl);
			await lead.signInAsDemo('demo-community');
			const before = (await (
				await lead.get(`/api/daily-reports?community=${community}&date=2020-02-28`)
			).json()) as DailyReportState;
			const context = await browser.newContext(PHONE);
			const page = await context.newPage();
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-community"]').click();
			await page.goto(`${baseUrl}/community/${community}`);
			const form = page.locator('[data-testid="daily-report-form"]');
			const households = form.locator('[data-testid="report-observedHouseholds"]');
			await expect.poll(() => households.inputValue()).not.toBe('');
			// A figure changed without its reason is refused before sending.
			await households.fill(String(before.prefilled.observedHouseholds + 3));
			await form.locator('[data-testid="daily-report-submit"]').click();
			await expect
				.poll(() => form.locator('[data-testid="report-error-observedHouseholds"]').textContent())
				.toContain('请填写更正理由');
			await form.locator('[data-testid="report-reason-observedHouseholds"]').fill('3 户今日转入');
			await form.locator('[data-testid="daily-report-submit"]').click();
			const version = (before.current?.version ?? 0) + 1;
			await expect
				.poll(() => form.locator('[data-testid="daily-report-message"]').textContent(), SLOW)
				.toBe(`日报已上报（第 ${version} 版）`);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				375
			);
			writeFileSync('test-results/capture-daily-report.png', await form.screenshot());
			const after = (await (
				await lead.get(`/api/daily-reports?community=${community}&date=2020-02-28`)
			).json()) as DailyReportState;
			expect(after.current).toMatchObject({
				version,
				figures: { observedHouseholds: before.prefilled.observedHouseholds + 3 }
			});
			expect(after.versions.at(-1)!.reasons).toEqual({ observedHouseholds: '3 户今日转入' });
			// Every earlier version is kept (a report loaded before capture became version 1).
			expect(after.versions.map((v) => v.version)).toEqual(
				Array.from({ length: version }, (_, i) => i + 1)
			);
			if (before.current)
				expect(after.versions[before.current.version - 1].figures).toEqual(before.current.figures);
			expect(watch.errors).toEqual([]);
			await context.close();

			// By API: no figures confirms the records; a grid leader and another community's lead are refused.
			const confirm = await json(lead, '/api/daily-reports', { community, date: '2020-02-28' });
			expect(confirm.status).toBe(201);
			expect(((await confirm.json()) as DailyReportState).current!.figures).toEqual(
				after.prefilled
			);
			const missingReason = await json(lead, '/api/daily-reports', {
				community,
				date: '2020-02-28',
				figures: { screenedToday: after.prefilled.screenedToday + 1 }
			});
			expect(missingReason.status).toBe(400);
			expect((await missingReason.json()).field).toBe('reasons.screenedToday');
			const grid = new Client(baseUrl);
			await grid.signInAsDemo('demo-grid');
			expect(
				(await json(grid, '/api/daily-reports', { community, date: '2020-02-28' })).status
			).toBe(403);
			expect(
				(await json(lead, '/api/daily-reports', { community: '330114002003', date: '2020-02-28' }))
					.status
			).toBe(403);
		}
	);
});
