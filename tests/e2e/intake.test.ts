import { describe, expect, inject, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { launchBrowser, watchPage } from './browser';
import type { Browser, Page } from 'playwright-core';
import { Client } from '../support/http';
import type { AddressList } from '../../src/lib/features/capture/contract';
import type { ImportList, ImportPreview } from '../../src/lib/features/intake/contract';
import type { FeatureCollection, Geometry } from 'geojson';
import { idCheckCharacter } from '../../src/lib/features/capture/model/id-number';

const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

/** A household of 0502 in a compound, to change, and a room its building does not have yet. */
async function register(officer: Client) {
	const list = (await (await officer.get('/api/addresses?grid=0502')).json()) as AddressList;
	const h = list.households.find((x) => x.compound && x.unit)!;
	const building = Number(/\d+/.exec(h.building)![0]);
	const unit = Number(/\d+/.exec(h.unit!)![0]);
	const room = String(9900 + Math.floor(Math.random() * 99));
	const csv = [
		'小区名称,楼幢,单元,门牌号,户籍人数',
		`${h.compound},${building}幢,${unit},${h.room},${h.members + 1}`,
		`${h.compound},${building}幢,${unit},${room},4`,
		`不存在的小区,1幢,1,101,3`,
		`${h.compound},${building}幢,${unit},${room},5`
	].join('\r\n');
	return { h, building, unit, room, csv };
}

/** A figure of some grids on the map's last demo day, as /api/areas gives it. */
async function figures(officer: Client, figure: string, codes: string[]): Promise<number[]> {
	const areas = (await (
		await officer.get('/api/areas?level=grid&date=2020-02-28')
	).json()) as FeatureCollection<Geometry, Record<string, number>>;
	return codes.map((code) => areas.features.find((f) => f.id === code)!.properties[figure]);
}

/** A data officer's /import page in a new browser page (signed in through the demo button). */
async function importPage(browser: Browser, baseUrl: string) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const watch = watchPage(page, baseUrl);
	await page.goto(`${baseUrl}/signin`);
	await page.locator('[data-testid="demo-demo-data"]').click();
	await page.waitForURL((u) => u.pathname === '/');
	await page.goto(`${baseUrl}/import`);
	return { page, watch };
}

/** Commits the previewed batch from the page; its message must match `said`. Returns the batch id. */
async function commitOnPage(page: Page, said: RegExp): Promise<number> {
	await page.locator('[data-testid="import-commit"]').click();
	await expect
		.poll(() => page.locator('[data-testid="import-message"]').textContent(), { timeout: 60_000 })
		.toMatch(said);
	return Number(
		/批次 (\d+)/.exec((await page.locator('[data-testid="import-message"]').textContent())!)![1]
	);
}

/** Rolls a batch back from the list (confirming the dialog) and waits for the page to say so. */
async function rollBackOnPage(page: Page, batchId: number) {
	page.once('dialog', (d) => void d.accept());
	await page.locator(`[data-testid="rollback-${batchId}"]`).click();
	await expect
		.poll(() => page.locator('[data-testid="import-message"]').textContent(), { timeout: 60_000 })
		.toBe(`已撤销批次 ${batchId}。`);
}

const multipart = (fields: Record<string, string | Blob>) => {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	return form;
};

describe.each(BACKENDS)('intake on $name', ({ url: baseUrl }) => {
	it('a data officer dry-runs an address register on /import, reads the refused rows, commits, finds the household on the grid’s list, and rolls the batch back', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		const { h, unit, room, csv } = await register(officer);
		const browser = await launchBrowser();
		try {
			const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
			const watch = watchPage(page, baseUrl);
			await page.goto(`${baseUrl}/signin`);
			await page.locator('[data-testid="demo-demo-data"]').click();
			await page.waitForURL((u) => u.pathname === '/');
			await page.locator('[data-testid="nav-import"]').click();
			await page.waitForURL((u) => u.pathname === '/import');
			await page.locator('[data-testid="import-file"]').setInputFiles({
				name: '门牌地址库.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from(csv)
			});
			await page.locator('[data-testid="import-dry-run"]').click();
			const preview = page.locator('[data-testid="import-preview"]');
			await preview.waitFor({ timeout: 30_000 });
			const count = (id: string) => preview.locator(`[data-testid="count-${id}"] dd`).textContent();
			expect(await count('new')).toBe('1');
			expect(await count('updated')).toBe('1');
			expect(await count('rejected')).toBe('2');
			const problems = await page
				.locator('[data-testid="import-problems"] tbody tr')
				.evaluateAll((rows) =>
					rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()))
				);
			expect(problems).toEqual([
				['4', 'A（小区名称）', '不存在的小区', '辖区内没有这个小区（请先导入小区边界）'],
				['5', 'D（门牌号）', room, '与第 3 行地址重复']
			]);
			mkdirSync('test-results', { recursive: true });
			writeFileSync('test-results/import-preview.png', await page.screenshot({ fullPage: true }));
			// The report of refused rows downloads as XLSX.
			const report = await officer.get(
				new URL(
					(await page.locator('[data-testid="import-report"]').getAttribute('href'))!,
					baseUrl
				).pathname
			);
			expect(report.status).toBe(200);
			expect(report.headers.get('content-type')).toContain('spreadsheetml');
			expect([...new Uint8Array(await report.arrayBuffer()).slice(0, 2)]).toEqual([0x50, 0x4b]);

			const batchId = await commitOnPage(page, /已提交批次 \d+：新增 1，更新 1，不变 0/);
			await expect
				.poll(() =>
					page
						.locator(`[data-testid="batch-${batchId}"] [data-testid="batch-status"]`)
						.textContent()
				)
				.toBe('已提交');
			const after = (await (await officer.get('/api/addresses?grid=0502')).json()) as AddressList;
			expect(after.households.find((x) => x.householdId === h.householdId)?.members).toBe(
				h.members + 1
			);
			const added = after.households.find(
				(x) =>
					x.compound === h.compound &&
					x.building === h.building &&
					x.unit === `${unit}单元` &&
					x.room === room
			);
			expect(added?.members).toBe(4);

			await rollBackOnPage(page, batchId);
			await expect
				.poll(() =>
					page
						.locator(`[data-testid="batch-${batchId}"] [data-testid="batch-status"]`)
						.textContent()
				)
				.toBe('已撤销');
			const undone = (await (await officer.get('/api/addresses?grid=0502')).json()) as AddressList;
			expect(undone.households.find((x) => x.householdId === h.householdId)?.members).toBe(
				h.members
			);
			expect(undone.households.some((x) => x.room === room && x.compound === h.compound)).toBe(
				false
			);
			// The reporting board: every community, whether it reported that day, and each figure off the records.
			const board = page.locator('[data-testid="reporting-board"]');
			expect(await board.locator('tbody tr').count()).toBe(25);
			expect(await board.locator('[data-testid="board-summary"]').textContent()).toMatch(
				/已上报 \d+\/25 个社区，\d+ 个社区的上报数与记录不符。/
			);
			await board.locator('input[name="date"]').fill('2020-02-20');
			await board.locator('button[type="submit"]').click();
			await page.waitForURL((u) => u.searchParams.get('date') === '2020-02-20');
			expect(await board.locator('input[name="date"]').inputValue()).toBe('2020-02-20');
			writeFileSync('test-results/import-board.png', await board.screenshot());
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 180_000);

	it('a data officer imports the sample returnee register (GB18030): 3 new and 2 refused in the dry run; committed, grid 0502’s returnees on the map’s figures rise by 3; rolled back, they return', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		const due = async () => (await figures(officer, 'returneesDue', ['0502']))[0];
		const before = await due();
		const browser = await launchBrowser();
		try {
			const { page, watch } = await importPage(browser, baseUrl);
			await page.locator('select[name="kind"]').selectOption('returnees');
			// Persons carry no coordinates: the datum is asked only of the address register.
			expect(await page.locator('[data-testid="import-datum"]').count()).toBe(0);
			await page
				.locator('[data-testid="import-file"]')
				.setInputFiles('data/samples/returnees-gb18030.csv');
			await page.locator('[data-testid="import-dry-run"]').click();
			const preview = page.locator('[data-testid="import-preview"]');
			await preview.waitFor({ timeout: 30_000 });
			const count = (id: string) => preview.locator(`[data-testid="count-${id}"] dd`).textContent();
			expect(await count('new')).toBe('3');
			expect(await count('rejected')).toBe('2');
			// A register of persons adds no building and has no coordinates to convert.
			expect(await preview.locator('[data-testid="count-new-buildings"]').count()).toBe(0);
			const problems = await page
				.locator('[data-testid="import-problems"] tbody tr')
				.evaluateAll((rows) =>
					rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()))
				);
			expect(problems.map((p) => [p[0], p[1], p[3]])).toEqual([
				['5', 'B（身份证号）', '身份证号校验位不对，请核对每一位'],
				['6', 'B（身份证号）', '与第 3 行的身份证号重复']
			]);
			// The ID number is never shown whole.
			expect(problems[0][2]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
			writeFileSync(
				'test-results/import-returnees.png',
				await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: 700 } })
			);
			expect(await due()).toBe(before);

			const batchId = await commitOnPage(page, /已提交批次 \d+：新增 3，更新 0，不变 0/);
			expect(await page.locator(`[data-testid="batch-${batchId}"] td`).nth(1).textContent()).toBe(
				'返杭人员'
			);
			expect(await due()).toBe(before + 3);

			await rollBackOnPage(page, batchId);
			expect(await due()).toBe(before);
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 180_000);

	it('a data officer imports the sample grid boundaries (GBK shapefile, projected): the dry run draws them and checks the topology; committed, the households of 0501 and 0502 on the map follow the moved boundary; rolled back, they return', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		const households = () => figures(officer, 'householdsRegistered', ['0501', '0502', '0503']);
		const before = await households();
		const browser = await launchBrowser();
		try {
			const { page, watch } = await importPage(browser, baseUrl);
			await page.locator('select[name="kind"]').selectOption('grids');
			await page.locator('[data-testid="import-file"]').setInputFiles('data/samples/grids-gbk.zip');
			await page.locator('[data-testid="import-dry-run"]').click();
			const preview = page.locator('[data-testid="import-preview"]');
			await preview.waitFor({ timeout: 30_000 });
			const count = (id: string) => preview.locator(`[data-testid="count-${id}"] dd`).textContent();
			expect([await count('new'), await count('updated'), await count('unchanged')]).toEqual([
				'0',
				'2',
				'2'
			]);
			expect(await preview.locator('.source').textContent()).toContain(
				'CGCS2000_3_Degree_GK_CM_120E'
			);
			// Four outlines drawn, the two the file changes in the colour of a change.
			const drawn = preview.locator('[data-testid="area-outlines"] path');
			expect(await drawn.count()).toBe(4);
			expect(
				await preview
					.locator('[data-testid="area-outlines"] path.updated')
					.evaluateAll((p) => p.map((x) => x.getAttribute('data-code')))
			).toEqual(['0501', '0502']);
			expect(
				await preview
					.locator('[data-testid="area-outlines"] path.updated')
					.first()
					.evaluate((p) => getComputedStyle(p).stroke)
			).toBe('rgb(21, 101, 192)');
			writeFileSync(
				'test-results/import-grids.png',
				await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: 900 } })
			);
			expect(await households()).toEqual(before);

			const batchId = await commitOnPage(page, /已提交批次 \d+：新增 0，更新 2，不变 2/);
			const after = await households();
			expect(after[0]).toBeGreaterThan(before[0]);
			expect(after[0] + after[1]).toBe(before[0] + before[1]);
			expect(after[2]).toBe(before[2]);

			await rollBackOnPage(page, batchId);
			expect(await households()).toEqual(before);
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 180_000);

	it('a data officer finds a returnee registered by two communities on /import/duplicates, merges the two files (the grid’s figures follow), undoes the merge, and the register rolls back', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		// A household of the grid named by its address (the register's 现住址).
		const address = async (grid: string) => {
			const list = (await (await officer.get(`/api/addresses?grid=${grid}`)).json()) as AddressList;
			const h = list.households.find((x) => x.compound && x.unit)!;
			return `${h.compound}${h.building}${h.unit}${h.room}室`;
		};
		const id = (n: number) => {
			const first17 = `110105197001${String(10 + (n % 18)).padStart(2, '0')}${String(Math.floor(Math.random() * 900) + 100)}`;
			return first17 + idCheckCharacter(first17);
		};
		const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		// The same person in 0502 and, one character of the name mistyped, in 0102 of another community.
		const csv = [
			'姓名,身份证号,联系电话,来源地,返杭日期,现住址',
			`欧阳小明,${id(1)},${phone},湖北省武汉市,2020-02-20,${await address('0502')}`,
			`欧阳晓明,${id(2)},${phone},湖北省武汉市,2020-02-18,${await address('0102')}`
		].join('\r\n');
		const dry = (await (
			await officer.request('/api/imports', {
				method: 'POST',
				headers: { origin: baseUrl },
				body: multipart({ file: new File([csv], '两个社区.csv'), kind: 'returnees' })
			})
		).json()) as ImportPreview;
		expect(dry.batch.counts.new).toBe(2);
		expect(
			(
				await officer.request(`/api/imports/${dry.batch.id}/commit`, {
					method: 'POST',
					headers: { origin: baseUrl }
				})
			).status
		).toBe(200);
		const due = async () => figures(officer, 'returneesDue', ['0502', '0102']);
		const before = await due();
		const browser = await launchBrowser();
		try {
			const { page, watch } = await importPage(browser, baseUrl);
			await page.locator('[data-testid="duplicates-link"]').click();
			await page.waitForURL((u) => u.pathname === '/import/duplicates');
			const pair = page
				.locator('article', { hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` })
				.first();
			expect(await pair.locator('.rule').textContent()).toMatch(
				/姓名相近（差一字）、电话相同\s*·\s*跨社区/
			);
			writeFileSync(
				'test-results/import-duplicates.png',
				await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: 700 } })
			);
			// Keep the first file (0502's): the other, its arrival the earlier, is merged into it.
			await pair.locator('[data-testid^="keep-"]').first().click();
			const message = page.locator('[data-testid="duplicates-message"]');
			await expect
				.poll(() => message.textContent(), { timeout: 60_000 })
				.toMatch(/已将 欧\*\*明 #\d+ 并入 欧\*\*明 #\d+ 的档案/);
			expect(await due()).toEqual([before[0], before[1] - 1]);
			expect(
				await page
					.locator('article', { hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` })
					.count()
			).toBe(0);

			await page.locator('[data-testid^="undo-merge-"]').first().click();
			await expect
				.poll(() => message.textContent(), { timeout: 60_000 })
				.toMatch(/合并 \d+ 已撤销/);
			expect(await due()).toEqual(before);
			expect(
				await page
					.locator('article', { hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` })
					.count()
			).toBe(1);
			const rolledBack = await officer.request(`/api/imports/${dry.batch.id}`, {
				method: 'DELETE',
				headers: { origin: baseUrl }
			});
			expect([rolledBack.status, rolledBack.status === 200 ? '' : await rolledBack.text()]).toEqual(
				[200, '']
			);
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 180_000);

	it('a long import shows its progress as the server passes each phase, and a commit cancelled midway writes nothing', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		const { h, building, unit } = await register(officer);
		// 30,000 returnees of one household, each with a valid ID number of its own.
		const lines = ['姓名,身份证号,来源地,返杭日期,小区,楼幢,单元,门牌号'];
		for (let i = 0; i < 30_000; i++) {
			const birth = new Date(Date.UTC(1951, 0, 1 + Math.floor(i / 1000)));
			const id17 = `330105${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(i % 1000).padStart(3, '0')}`;
			lines.push(
				`${'王李张刘陈'[i % 5]}${'伟芳娜敏静丽强磊'[i % 8]}${'军洋勇艳杰'[i % 5]},${id17}${idCheckCharacter(id17)},湖北省武汉市,2020-02-20,${h.compound},${building},${unit},${h.room}`
			);
		}
		const due = async () => (await figures(officer, 'returneesDue', ['0502']))[0];
		const before = await due();
		const browser = await launchBrowser();
		try {
			const { page, watch } = await importPage(browser, baseUrl);
			// Every state the progress bar shows is recorded (it is gone when the answer comes).
			await page.evaluate(() => {
				const seen: string[] = [];
				(window as unknown as { phases: string[] }).phases = seen;
				new MutationObserver(() => {
					const bar = document.querySelector('[data-testid="import-progress"] progress');
					const done = bar?.getAttribute('data-done');
					if (bar && seen[seen.length - 1] !== done) seen.push(done ?? '');
				}).observe(document.body, { subtree: true, childList: true, attributes: true });
			});
			const phases = () => page.evaluate(() => (window as unknown as { phases: string[] }).phases);
			await page.locator('select[name="kind"]').selectOption('returnees');
			await page.locator('[data-testid="import-file"]').setInputFiles({
				name: 'returnees-30000.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from(lines.join('\r\n'))
			});
			await page.locator('[data-testid="import-dry-run"]').click();
			const preview = page.locator('[data-testid="import-preview"]');
			await preview.waitFor({ timeout: 120_000 });
			expect(await preview.locator('[data-testid="count-new"] dd').textContent()).toBe('30000');
			// The bar went through the dry run's phases in order.
			const dryRun = await phases();
			expect(dryRun).toContain('read validated');
			for (const p of dryRun) expect('read validated placed written'.startsWith(p)).toBe(true);

			// Commit, and cancel once the rows are placed: the server stops at its next phase and rolls back.
			await page.evaluate(() => ((window as unknown as { phases: string[] }).phases.length = 0));
			await page.locator('[data-testid="import-commit"]').click();
			await expect.poll(phases, { timeout: 60_000 }).toContain('placed');
			const bar = await page.locator('[data-testid="import-progress"]').screenshot();
			await page.locator('[data-testid="import-cancel"]').click();
			writeFileSync('test-results/import-progress.png', bar);
			await expect
				.poll(() => page.locator('[data-testid="import-message"]').textContent(), {
					timeout: 30_000
				})
				.toMatch(/^已取消/);
			const batches = async () =>
				((await (await officer.get('/api/imports')).json()) as ImportList).batches;
			const batchId = (await batches()).find((b) => b.fileName === 'returnees-30000.csv')!.id;
			// A rollback waits for the import lock the cancelled commit held: by then it has rolled back.
			const undo = await officer.request(`/api/imports/${batchId}`, {
				method: 'DELETE',
				headers: { origin: baseUrl }
			});
			expect(undo.status).toBe(409);
			expect(((await undo.json()) as { message: string }).message).toContain('尚未提交');
			expect((await batches()).find((b) => b.id === batchId)!.status).toBe('dry_run');
			expect(await due()).toBe(before);
			expect(watch.errors).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 240_000);

	it('refuses what a user can send wrong in words naming the field, with no 5xx: no file, an unknown kind, a picture, a broken workbook, no form', async () => {
		const officer = new Client(baseUrl);
		await officer.signInAsDemo('demo-data');
		const post = (fields: Record<string, string | Blob>) =>
			officer.request('/api/imports', {
				method: 'POST',
				headers: { origin: baseUrl },
				body: multipart(fields)
			});
		const cases: [Record<string, string | Blob>, number, string | undefined, RegExp][] = [
			[{ kind: 'address_register' }, 400, 'file', /请选择要导入的文件/],
			[{ kind: 'people', file: new Blob(['小区,人数\n']) }, 400, 'kind', /./],
			[
				{
					kind: 'address_register',
					file: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2])])
				},
				400,
				'file',
				/表头/
			],
			[
				{
					kind: 'address_register',
					file: new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9])])
				},
				400,
				'file',
				/XLSX/
			],
			[
				{ kind: 'address_register', datum: 'utm', file: new Blob(['小区,人数\n']) },
				400,
				'datum',
				/./
			],
			[
				{ kind: 'address_register', file: new Blob(['小区,楼幢,室,人数\n明月苑,1,"101\n']) },
				400,
				'file',
				/CSV/
			]
		];
		for (const [fields, status, field, words] of cases) {
			const response = await post(fields);
			const body = (await response.json()) as { message: string; field?: string };
			expect([response.status, body.field], JSON.stringify(body)).toEqual([status, field]);
			expect(body.message).toMatch(words);
		}
		// A NUL in a cell, and a phone number in a date-formatted XLSX cell: read, never a 500.
		const nul = await post({
			kind: 'address_register',
			file: new Blob(['小区,楼幢,室,人数\n明月\u0000苑,1,101,2\n'])
		});
		expect(nul.status).toBe(201);
		const book = new ExcelJS.Workbook();
		const sheet = book.addWorksheet('表1');
		sheet.addRow(['小区', '楼幢', '室', '人数', '电话']);
		sheet.addRow(['明月苑', 1, 101, 2, 13800138000]);
		sheet.getCell('E2').numFmt = 'yyyy-mm-dd';
		const dated = await post({
			kind: 'address_register',
			file: new Blob([new Uint8Array(await book.xlsx.writeBuffer())])
		});
		expect(dated.status, await dated.clone().text()).toBe(201);
		// Any other route refuses a declared body over 512 KB before reading it.
		const bigJson = await officer.request('/api/screenings', {
			method: 'POST',
			headers: { origin: baseUrl, 'content-type': 'application/json' },
			body: JSON.stringify({ pad: 'x'.repeat(600_000) })
		});
		expect(bigJson.status).toBe(413);
		const notForm = await officer.request('/api/imports', {
			method: 'POST',
			headers: { origin: baseUrl, 'content-type': 'application/json' },
			body: '{}'
		});
		expect(notForm.status).toBe(400);
		const commitMissing = await officer.request('/api/imports/999999/commit', {
			method: 'POST',
			headers: { origin: baseUrl }
		});
		expect(commitMissing.status).toBe(404);
		// A register larger than adapter-node's default body limit (512 KB) is read: 30,000 rows (750 KB).
		const big = [
			'小区,楼幢,室,人数',
			...Array.from({ length: 30_000 }, (_, i) => `远方小区${i},1,101,2`)
		].join('\n');
		expect(new TextEncoder().encode(big).length).toBeGreaterThan(700_000);
		const large = await post({ kind: 'address_register', file: new Blob([big]) });
		expect(large.status).toBe(201);
		expect(((await large.json()) as ImportPreview).batch.counts).toMatchObject({
			rejected: 30_000,
			new: 0
		});
		// A dry run never committed cannot be rolled back: refused in words.
		const { csv } = await register(officer);
		const ok = await post({ kind: 'address_register', file: new Blob([csv]) });
		expect(ok.status).toBe(201);
		const preview = (await ok.json()) as ImportPreview;
		const again = await officer.request(`/api/imports/${preview.batch.id}`, {
			method: 'DELETE',
			headers: { origin: baseUrl }
		});
		expect(again.status).toBe(409);
		expect(((await again.json()) as { message: string }).message).toMatch(/尚未提交/);
	}, 120_000);
});
