import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchPage } from './browser';
import { Client } from '../support/http';
import { PHONE, SLOW, json, newIdNumber } from './capture-support';
import type {
	AddressList,
	HouseholdCard,
	ReturneeCreated
} from '../../src/lib/features/capture/contract';
import type { GridDetail } from '../../src/lib/features/map/contract';
import { project } from './map-support';

const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

/** A household of 0502 that is not under observation, with a returnee just registered in it. */
async function householdToObserve(leader: Client): Promise<HouseholdCard> {
	const list = (await (await leader.get('/api/addresses?grid=0502')).json()) as AddressList;
	for (const h of list.households.filter((x) => x.compound).reverse()) {
		const card = (await (
			await leader.get(`/api/households/${h.householdId}`)
		).json()) as HouseholdCard;
		if (card.observation || card.tasks.length) continue;
		const created = await json(leader, '/api/returnees', {
			name: '司马懿',
			phone: '13700001111',
			idNumber: newIdNumber(),
			origin: '湖北省黄冈市',
			arrivedAt: '2020-02-28T08:00:00+08:00',
			householdId: h.householdId
		});
		expect(created.status, await created.clone().text()).toBe(201);
		expect(((await created.json()) as ReturneeCreated).householdId).toBe(h.householdId);
		return (await (await leader.get(`/api/households/${h.householdId}`)).json()) as HouseholdCard;
	}
	throw new Error('no household of 0502 free to observe');
}

describe.each(BACKENDS)('capture on $name: home observation and services', ({ url: baseUrl }) => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it(
		'on a phone: start a household’s observation (its services scheduled), mark a task done and one missed with its reason, record the health check (a fever alerts), screen a member found by masked name, release it',
		{ timeout: 60_000 },
		async () => {
			const leader = new Client(baseUrl);
			await leader.signInAsDemo('demo-grid');
			const card = await householdToObserve(leader);
			const person = card.persons.at(-1)!;
			const cardNow = async () =>
				(await (await leader.get(`/api/households/${card.householdId}`)).json()) as HouseholdCard;

			const context = await browser.newContext(PHONE);
			const page = await context.newPage();
			// A step that cannot happen fails here, naming itself, rather than at the test's timeout.
			page.setDefaultTimeout(15_000);
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-grid"]').click();
			await page.waitForURL((u) => u.pathname === '/grid/0502');
			await page.locator('[data-testid="capture-household"] summary').click();
			const panel = page.locator('[data-testid="household-panel"]');
			await panel.locator('[data-testid="address-search"]').fill(card.address.replace(/室$/, ''));
			await panel.locator('[data-testid="address-match"]').first().click();
			await expect
				.poll(() => panel.locator('[data-testid="household-address"]').textContent())
				.toBe(card.address);
			await expect
				.poll(() => panel.locator('[data-testid="observation-state"]').textContent())
				.toContain('该户未在居家观察');

			// Start: the members ticked, 14 days, a reason from the presets; nothing without a reason.
			const start = panel.locator('[data-testid="observation-start"]');
			await start.locator('[data-testid="observation-start-submit"]').click();
			await expect
				.poll(() => start.locator('[data-testid="observation-error"]').textContent())
				.toContain('请填写观察原因');
			await start.getByRole('button', { name: '密切接触者' }).click();
			await start.locator('[data-testid="observation-start-submit"]').click();
			await expect
				.poll(() => panel.locator('[data-testid="observation-state"]').textContent(), SLOW)
				.toMatch(/居家观察中：2020-02-28 起，2020-03-13 解除（密切接触者）/);
			let now = await cardNow();
			expect(now.observation?.personIds).toEqual(card.persons.map((p) => p.personId));
			// Today's services, due at once (it is 23:55): the health visit and garbage collection.
			expect(now.tasks.map((t) => [t.kind, t.status])).toEqual([
				['visit', 'open'],
				['garbage', 'open']
			]);
			const [visit, garbage] = now.tasks;

			// The grid's task list: garbage collected.
			await page.locator('[data-testid="capture-services"] summary').click();
			const services = page.locator('[data-testid="grid-services"]');
			const garbageRow = services.locator(`[data-task-id="${garbage.id}"]`);
			await garbageRow.locator('[data-testid="task-done"]').click();
			await expect.poll(() => garbageRow.getAttribute('data-status'), SLOW).toBe('done');
			// In the household's own list: the visit missed, with its reason (required).
			const visitRow = panel.locator(`[data-task-id="${visit.id}"]`);
			await visitRow.locator('[data-testid="task-missed"]').click();
			await visitRow.locator('[data-testid="task-missed-submit"]').click();
			await expect
				.poll(() => visitRow.locator('[data-testid="task-note"]').textContent())
				.toContain('标记未完成须填写原因');
			await visitRow.getByRole('button', { name: '住户不在家' }).click();
			await visitRow.locator('[data-testid="task-missed-submit"]').click();
			await expect
				.poll(
					async () => (await cardNow()).tasks.map((t) => [t.id, t.status, t.missedReason]),
					SLOW
				)
				.toEqual([
					[visit.id, 'missed', '住户不在家'],
					[garbage.id, 'done', null]
				]);
			mkdirSync('test-results', { recursive: true });
			// The top of the list (open tasks first), for the README.
			await services.scrollIntoViewIfNeeded();
			const box = (await services.boundingBox())!;
			const scrolled = await page.evaluate(() => window.scrollY);
			writeFileSync(
				'test-results/capture-services.png',
				await page.screenshot({
					clip: { ...box, y: box.y + scrolled, height: Math.min(box.height, 640) },
					fullPage: true
				})
			);

			// The health check: 37.8 °C and a cough — recorded, and the form says to screen or refer.
			const check = panel.locator('[data-testid="health-check"]');
			await check.locator('[data-testid="check-temperature"]').last().fill('45');
			await check.locator('[data-testid="check-submit"]').click();
			await expect
				.poll(() => check.locator('[data-testid="check-error"]').textContent())
				.toContain('体温应在 34–43 °C 之间');
			await check.locator('[data-testid="check-temperature"]').last().fill('37.8');
			await check.locator('details').last().locator('summary').click();
			await check.locator('[data-testid="check-symptom-cough"]').last().check();
			await check.locator('[data-testid="check-submit"]').click();
			await expect
				.poll(() => check.locator('[data-testid="check-alert"]').textContent(), SLOW)
				.toContain('请安排排查或转诊');
			await expect.poll(async () => (await cardNow()).checksToday.length, SLOW).toBe(1);
			now = await cardNow();
			expect(now.checksToday[0]).toMatchObject({
				personId: person.personId,
				temperature: 37.8,
				symptoms: ['cough']
			});
			await expect
				.poll(() => panel.locator('[data-testid="checks-today"] li').count(), SLOW)
				.toBe(1);
			writeFileSync('test-results/capture-observation.png', await panel.screenshot());
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				375
			);

			// Found by the masked name as typed (司懿 for 司*懿) and screened from there.
			await page.locator('[data-testid="capture-find"] summary').click();
			const finder = page.locator('[data-testid="person-finder"]');
			await finder.locator('[data-testid="person-search"]').fill('司懿');
			const found = finder.locator(
				`[data-testid="person-match"][data-person-id="${person.personId}"]`
			);
			await found.locator('[data-testid="screen-person"]').click();
			await found.locator('[data-testid="screening-temperature"]').fill('36.7');
			await found.locator('[data-testid="screening-submit"]').click();
			await expect
				.poll(() => found.locator('[data-testid="screening-done"]').textContent(), SLOW)
				.toContain('已记录 司*懿 的排查');
			const listed = (await (await leader.get('/api/persons?grid=0502')).json()).persons as {
				id: number;
				screenedAt: string | null;
			}[];
			expect(listed.find((p) => p.id === person.personId)?.screenedAt).toMatch(
				/^2020-02-28 23:5\d$/
			);

			// Released: two steps (choose, confirm); the services still to come are gone.
			await panel.locator('[data-testid="observation-end-released"]').click();
			await panel.locator('[data-testid="observation-end-confirm"]').click();
			await expect
				.poll(() => panel.locator('[data-testid="observation-state"]').textContent(), SLOW)
				.toContain('该户未在居家观察');
			now = await cardNow();
			expect(now.observation).toBeNull();
			expect(now.tasks.map((t) => t.id)).toEqual([visit.id, garbage.id]);
			// The two refusals the server gave (a start without a reason, a missed task without one); nothing else.
			expect(watch.errors).toEqual(
				Array(2).fill(
					'console: Failed to load resource: the server responded with a status of 400 (Bad Request)'
				)
			);
			expect(watch.offServerRequests).toEqual([]);
			await context.close();
		}
	);

	it('the routes refuse bad input in words naming the field, and write a replayed request once', async () => {
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-grid');
		const card = await householdToObserve(leader);
		const bad = async (path: string, body: unknown) => {
			const response = await json(leader, path, body);
			return { status: response.status, body: await response.json() };
		};
		expect(
			await bad('/api/observations', {
				householdId: card.householdId,
				personIds: [],
				reason: '密接'
			})
		).toMatchObject({ status: 400, body: { field: 'personIds' } });
		expect(
			await bad('/api/observations', {
				householdId: card.householdId,
				personIds: [card.persons[0].personId],
				days: 40,
				reason: '密接'
			})
		).toMatchObject({ status: 400, body: { field: 'days' } });
		expect(
			await bad('/api/observations/checks', {
				householdId: card.householdId,
				checks: [{ personId: card.persons[0].personId, temperature: 36.5 }]
			})
		).toMatchObject({ status: 409, body: { code: 'not_observed' } });
		expect(await bad('/api/service-tasks/1', { outcome: 'lost' })).toMatchObject({
			status: 400,
			body: { field: 'outcome' }
		});
		expect(await bad('/api/service-tasks/abc', { outcome: 'done' })).toMatchObject({
			status: 404
		});
		expect((await leader.get('/api/households/999999999')).status).toBe(404);
		// Nothing was started by any of them.
		expect(
			(await (await leader.get(`/api/households/${card.householdId}`)).json()).observation
		).toBeNull();

		// The same start sent twice with its Idempotency-Key: one observation, the first answer twice.
		const body = {
			householdId: card.householdId,
			personIds: card.persons.map((p) => p.personId),
			days: 7,
			reason: '返杭人员'
		};
		const key = `e2e-observation-${Date.now()}`;
		const first = await json(leader, '/api/observations', body, { 'idempotency-key': key });
		const again = await json(leader, '/api/observations', body, { 'idempotency-key': key });
		expect([first.status, again.status]).toEqual([201, 201]);
		expect(await again.json()).toEqual(await first.json());
		const started = (await (
			await leader.get(`/api/households/${card.householdId}`)
		).json()) as HouseholdCard;
		expect(started.observation).toMatchObject({ startDate: '2020-02-28', endDate: '2020-03-06' });
		// Without the key, a second start is refused: already under observation.
		expect(await bad('/api/observations', body)).toMatchObject({
			status: 409,
			body: { code: 'already_observed' }
		});
		// Transferred (hospital): ended, and the next check is refused.
		const ended = await json(leader, '/api/observations/end', {
			householdId: card.householdId,
			outcome: 'transferred'
		});
		expect(ended.status).toBe(200);
		expect(
			await bad('/api/observations/checks', {
				householdId: card.householdId,
				checks: [{ personId: card.persons[0].personId, temperature: 36.5 }]
			})
		).toMatchObject({ status: 409 });
	});
});

describe.each(BACKENDS)('capture on $name: an address by tapping the map', ({ url: baseUrl }) => {
	it('a building tapped on the grid’s map fills the registration form’s compound and building', async () => {
		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-grid');
		const addresses = (await (await leader.get('/api/addresses?grid=0502')).json()) as AddressList;
		const detail = (await (
			await leader.get('/api/grid-detail?grid=0502&date=2020-02-28')
		).json()) as GridDetail;
		const target = addresses.households.find((h) => h.compound && h.unit)!;
		const building = detail.buildings.find((b) => b.code === target.buildingCode)!;
		expect(building, 'the address list and the map name the same buildings').toBeDefined();

		const browser = await launchBrowser();
		try {
			const context = await browser.newContext(PHONE);
			const page = await context.newPage();
			page.setDefaultTimeout(30_000);
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-grid"]').click();
			await page.waitForURL((u) => u.pathname === '/grid/0502');
			const map = page.locator('[data-testid="grid-map"] [data-testid="map"]');
			await map.scrollIntoViewIfNeeded();
			await page.locator('[data-testid="grid-map"] [data-testid="map"][data-rendered]').waitFor();
			await page.evaluate(
				(center) =>
					(window as unknown as { gridwatchMap: { jumpTo(o: object): void } }).gridwatchMap.jumpTo({
						center,
						zoom: 18
					}),
				building.position
			);
			await page.waitForTimeout(700);
			const p = await project(page, building.position);
			const box = (await map.boundingBox())!;
			await page.touchscreen.tap(box.x + p.x, box.y + p.y);

			await page.locator('[data-testid="capture-returnee"] summary').click();
			const form = page.locator('[data-testid="returnee-form"]');
			await expect
				.poll(() => form.locator('[data-testid="address-from-map"]').textContent())
				.toContain(`已在地图上选中 ${target.compound}${target.building}`);
			expect(await form.locator('[data-testid="pick-compound"]').inputValue()).toBe(
				target.compound
			);
			expect(await form.locator('[data-testid="pick-building"]').inputValue()).toBe(
				target.building
			);
			// The unit and room are the worker's to choose; then the address is whole.
			await form.locator('[data-testid="pick-unit"]').selectOption(target.unit!);
			await form.locator('[data-testid="pick-room"]').selectOption(String(target.householdId));
			await expect
				.poll(() => form.locator('[data-testid="address-chosen"]').textContent())
				.toBe(`${target.compound}${target.building}${target.unit}${target.room}室`);
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 120_000);
});

describe.each(BACKENDS)('capture on $name: the key-area list', ({ url: baseUrl }) => {
	it('an administrator adds an origin on /admin/key-areas: its returnees are flagged at once; removing it unflags them', async () => {
		const browser = await launchBrowser();
		try {
			const page = await browser.newPage();
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-admin"]').click();
			await page.waitForURL((u) => u.pathname === '/');
			await page.goto(`${baseUrl}/admin/key-areas`);
			expect(
				await page.locator('[data-testid="key-areas"] td:first-child').allTextContents()
			).toEqual(
				['湖北省武汉市', '湖北省孝感市', '湖北省荆州市', '湖北省随州市', '湖北省黄冈市'].sort()
			);
			await page.locator('[data-testid="key-area-origin"]').fill('a');
			await page.locator('[data-testid="key-area-add"]').click();
			await expect
				.poll(() => page.locator('[data-testid="admin-message"]').textContent())
				.toContain('请填写 2–40 个字的地区名');
			await page.locator('[data-testid="key-area-origin"]').fill('山东 省');
			await page.locator('[data-testid="key-area-add"]').click();
			await expect
				.poll(() => page.locator('[data-testid="admin-message"]').textContent(), {
					timeout: 60_000
				})
				.toMatch(/已加入“山东省”，重新标记 [1-9]\d* 人/);
			const row = page.locator('[data-testid="key-areas"] tr', { hasText: '山东省' });
			const persons = Number(await row.locator('td.num').textContent());
			expect(persons).toBeGreaterThan(0);
			expect(await page.locator('[data-testid="admin-message"]').textContent()).toContain(
				`重新标记 ${persons} 人`
			);
			await row.locator('[data-testid="key-area-remove"]').click();
			await expect
				.poll(() => page.locator('[data-testid="admin-message"]').textContent(), {
					timeout: 60_000
				})
				.toContain(`已移出“山东省”，重新标记 ${persons} 人`);
			expect(await page.locator('[data-testid="key-areas"]').textContent()).not.toContain('山东省');
			// The one refusal (the one-letter area); nothing else went wrong.
			expect(watch.errors).toEqual([
				'console: Failed to load resource: the server responded with a status of 400 (Bad Request)'
			]);
		} finally {
			await browser.close();
		}
	}, 150_000);
});
