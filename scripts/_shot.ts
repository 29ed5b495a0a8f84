import { launchBrowser, watchPage } from '../tests/e2e/browser.ts';
const b = await launchBrowser();
const p = await b.newPage({ viewport: { width: 1600, height: 900 } });
const w = watchPage(p, 'http://127.0.0.1:3100');
await p.goto('http://127.0.0.1:3100/' + (process.argv[2] ?? ''));
await p.waitForTimeout(5000);
await p.screenshot({ path: process.argv[3] ?? '/tmp/shot.png' });
console.log(w);
await b.close();
