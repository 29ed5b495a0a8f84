// The test command (`npm test`): runs every tier and fails loudly if one did not run.
//   unit       pure domain code
//   db-pglite  database tests on the embedded PGlite + PostGIS
//   db-postgis the same files on a PostgreSQL + PostGIS server — when TEST_DATABASE_URL is set
//              (required when REQUIRE_POSTGIS=1, as in CI)
//   component  one Svelte component at a time, mounted in Debian's Chromium (vitest browser mode)
//   e2e        the built app in Debian's Chromium
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const tiers = ['unit', 'db-pglite'];
if (process.env.TEST_DATABASE_URL) tiers.push('db-postgis');
else if (process.env.REQUIRE_POSTGIS === '1') {
	console.error(
		'REQUIRE_POSTGIS=1 but TEST_DATABASE_URL is not set: the db-postgis tier cannot run.'
	);
	process.exit(1);
} else {
	console.log(
		'Note: TEST_DATABASE_URL is not set, so the database tests run on PGlite only (CI runs them on PostGIS too).'
	);
}
// The browser tiers, each run alone after the ones above (see below).
const alone = ['component', 'e2e'];

mkdirSync('test-results', { recursive: true });

// The message catalogs, compiled once before any tier reads them.
const compiled = spawnSync(process.execPath, ['scripts/i18n.js'], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(1);

/** Runs one tier's vitest; its JSON report says what passed. `capture`: its output is kept and printed after. */
function runTier(tier, capture) {
	const report = `test-results/${tier}.json`;
	rmSync(report, { force: true });
	const args = [
		'node_modules/vitest/vitest.mjs',
		'run',
		'--project',
		tier,
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${report}`
	];
	return new Promise((done) => {
		const child = spawn(process.execPath, args, {
			stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit'
		});
		let output = '';
		if (capture) {
			child.stdout.on('data', (chunk) => (output += chunk));
			child.stderr.on('data', (chunk) => (output += chunk));
		}
		child.on('exit', (status) => {
			let passed = 0;
			let failed = 0;
			try {
				const json = JSON.parse(readFileSync(report, 'utf8'));
				passed = json.numPassedTests;
				failed =
					json.numFailedTests +
					(json.numTotalTests -
						json.numPassedTests -
						json.numFailedTests -
						(json.numPendingTests ?? 0) -
						(json.numTodoTests ?? 0));
			} catch {
				failed = 1;
			}
			done({ tier, passed, failed, status, output });
		});
	});
}

// The tiers without a browser use different databases (none, a PGlite folder, the PostGIS server) and mostly
// different processes: on two cores they run side by side, each one's output printed whole when all are done.
// Then the two browser tiers, one after the other, each with the machine to itself: a Chromium (drawing in
// software) and Vite's transforms take a core of their own, and the side-by-side tiers already fill both (a
// timing-bound test has timed out there with three of them). The component tier, under a minute, goes first so
// that a broken panel is reported before the e2e tier's minutes.
const results = await Promise.all(tiers.map((tier) => runTier(tier, true)));
for (const r of results) console.log(`\n=== ${r.tier} ===\n${r.output}`);
for (const tier of alone) {
	console.log(`\n=== ${tier} ===`);
	results.push(await runTier(tier, false));
}

console.log('\nTier         passed  failed');
let ok = true;
for (const r of results) {
	const ran = r.passed > 0;
	if (r.status !== 0 || r.failed > 0 || !ran) ok = false;
	console.log(
		`${r.tier.padEnd(12)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}${ran ? '' : '  (no test ran)'}${r.status !== 0 ? `  (exit ${r.status})` : ''}`
	);
}
const passed = results.reduce((s, r) => s + r.passed, 0);
console.log(`\n${passed} passed, ${results.reduce((s, r) => s + r.failed, 0)} failed`);
process.exit(ok ? 0 : 1);
