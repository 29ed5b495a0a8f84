// Compiles the message catalogs (project.inlang → src/lib/paraglide) once, for `npm run check`, the test
// command and `npm ci`; `vite dev` and `vite build` compile through Paraglide's Vite plugin. Fails on any
// warning: a plugin that did not load (for instance a CDN module URL, unreachable here) only warns and
// would leave every message out.
import { spawnSync } from 'node:child_process';

const result = spawnSync(
	process.execPath,
	[
		'node_modules/@inlang/paraglide-js/bin/run.js',
		'compile',
		'--project',
		'./project.inlang',
		'--outdir',
		'./src/lib/paraglide',
		'--strategy',
		'baseLocale',
		'--emit-ts-declarations',
		'--no-emit-readme'
	],
	{ encoding: 'utf8' }
);
const output = `${result.stdout}${result.stderr}`;
if (result.status !== 0 || /warn|error/i.test(output)) {
	console.error(output);
	console.error('The message catalogs did not compile cleanly (see above).');
	process.exit(1);
}
