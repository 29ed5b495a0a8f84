import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { copySeededPglite } from '../support/seeded-pglite';
import { buildApp, startServer, type RunningServer } from '../support/server';
import { CHROMIUM_PATH } from './browser';
import { existsSync } from 'node:fs';

let server: RunningServer | null = null;
let postgisServer: RunningServer | null = null;
let dataDir: string | null = null;

/** Builds the app and serves it on a copy of the seeded embedded database. */
export default async function setup(project: TestProject) {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`e2e tier: Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`
		);
	}
	const [, dir] = await Promise.all([buildApp(), copySeededPglite('e2e')]);
	dataDir = dir;
	// Playwright's request client keeps idle connections and, unlike a browser, does not retry a
	// request sent on one the server closes at that moment (an ECONNRESET that failed CI once): the
	// test servers keep them 75 s, as an operator may (tests/e2e/operations.test.ts reads it back).
	const keepAlive = { KEEP_ALIVE_TIMEOUT: '75' };
	server = await startServer({ GRIDWATCH_DATA_DIR: dataDir, ...keepAlive });
	project.provide('baseUrl', server.url);
	// The same app on a PostgreSQL + PostGIS server, in demo mode, for the tests that run on both backends.
	if (process.env.TEST_DATABASE_URL) {
		postgisServer = await startServer({
			DATABASE_URL: process.env.TEST_DATABASE_URL,
			GRIDWATCH_DEMO: '1',
			...keepAlive
		});
	}
	project.provide('postgisBaseUrl', postgisServer?.url ?? '');
	return async () => {
		await postgisServer?.stop();
		await server?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		/** Empty when TEST_DATABASE_URL is not set. */
		postgisBaseUrl: string;
	}
}
