import { launchBrowser } from '../tests/e2e/browser';
const base = 'http://127.0.0.1:5301';
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()));
await page.goto(`${base}/signin`);
await page.click('[data-testid="demo-demo-leader"]');
await page.waitForURL(`${base}/**`);
const shots = process.argv.slice(2);
for (const [i, q] of shots.entries()) {
	await page.goto(`${base}/?${q}`);
	await page.locator('[data-testid="legend"]').waitFor({ timeout: 30000 });
	await page.waitForTimeout(3500);
	await page.screenshot({ path: `/tmp/shot-${i}.png` });
	console.log(i, page.url());
}
await browser.close();
