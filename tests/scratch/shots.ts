import { chromium } from 'playwright-core';
import { copySeededPglite } from '../support/seeded-pglite';
import { startServer } from '../support/server';

export async function main() {
	const dir = await copySeededPglite('shots');
	const server = await startServer({ GRIDWATCH_DATA_DIR: dir });
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
	try {
		const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
		await page.goto(`${server.url}/signin`);
		await page.locator('button[value="demo-admin"], [data-username="demo-admin"]').first().click().catch(async () => {
			await page.request.post(`${server.url}/signin?/demo`, { form: { username: 'demo-admin', next: '/' }, headers: { origin: server.url } });
		});
		await page.goto(`${server.url}/admin/audit?from=2020-02-30&to=2020-03-01`);
		await page.screenshot({ path: '/tmp/shot-audit.png' });
		await page.goto(`${server.url}/admin/gaps`);
		await page.locator('input[name="returneeHours"]').fill('0');
		await page.locator('input[name="reportCutoff"]').fill('21:30');
		await page.locator('form[action="?/save"] button').click();
		await page.waitForLoadState('networkidle');
		await page.screenshot({ path: '/tmp/shot-gaps.png', fullPage: false });
		console.log('returnee', await page.locator('input[name="returneeHours"]').inputValue(), 'cutoff', await page.locator('input[name="reportCutoff"]').inputValue());
	} finally {
		await browser.close();
		await server.stop();
	}
}
