import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

const postgisUrl = process.env.TEST_DATABASE_URL;

/** The db tier: the same files on one backend, one worker and one shared database instance. */
const dbProject = (name: 'db-pglite' | 'db-postgis', backend: 'pglite' | 'postgres') => ({
	extends: true as const,
	test: {
		name,
		include: ['tests/db/**/*.test.ts'],
		env: { TEST_BACKEND: backend },
		globalSetup: ['tests/db/global-setup.ts'],
		// One worker, one shared database instance: PGlite start-up is paid once.
		isolate: false,
		fileParallelism: false,
		maxWorkers: 1,
		testTimeout: 60_000,
		hookTimeout: 300_000
	}
});

/**
 * Four tiers, chosen by folder: unit (pure domain), db (real SQL; the same files run on
 * PGlite and, when TEST_DATABASE_URL is set, on a PostGIS server), component (one Svelte
 * component mounted in real Chromium, no server) and e2e (the built app in real Chromium).
 */
export default defineConfig({
	plugins: [sveltekit()],
	// The test hooks (see __TEST_HOOKS__ in src/app.d.ts): compiled in only when asked for.
	define: { __TEST_HOOKS__: JSON.stringify(process.env.GRIDWATCH_TEST_HOOKS === '1') },
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			dbProject('db-pglite', 'pglite'),
			...(postgisUrl ? [dbProject('db-postgis', 'postgres')] : []),
			{
				extends: true,
				test: {
					name: 'component',
					include: ['tests/component/**/*.test.ts'],
					// A failing test's screenshot goes with the other test output, out of the source tree.
					attachmentsDir: 'test-results/component-attachments',
					browser: {
						enabled: true,
						headless: true,
						screenshotDirectory: 'test-results/component-screenshots',
						// Debian's Chromium, as the e2e tier uses: `playwright install` cannot download a browser here.
						// SwiftShader: no GPU on CI or the developers' machines (see tests/e2e/browser.ts).
						provider: playwright({
							launchOptions: {
								executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
								args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
							}
						}),
						instances: [{ browser: 'chromium' }]
					}
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/e2e/global-setup.ts'],
					fileParallelism: false,
					maxWorkers: 1,
					testTimeout: 90_000,
					hookTimeout: 300_000
				}
			}
		]
	}
});
