import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`
		);
	}
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--use-angle=swiftshader',
			'--enable-unsafe-swiftshader',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
}

export interface PageWatch {
	errors: string[];
	offServerRequests: string[];
}

/** Records page errors, console errors and any request that does not go to `origin`. */
export function watchPage(page: Page, origin: string): PageWatch {
	const watch: PageWatch = { errors: [], offServerRequests: [] };
	page.on('pageerror', (error) =>
		watch.errors.push(`pageerror: ${error.message}${process.env.E2E_STACKS ? error.stack : ''}`)
	);
	page.on('console', (message) => {
		if (message.type() === 'error') watch.errors.push(`console: ${message.text()}`);
	});
	page.on('request', (request) => {
		const url = request.url();
		if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
			watch.offServerRequests.push(url);
	});
	return watch;
}
