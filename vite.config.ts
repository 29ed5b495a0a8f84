import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		// The message catalogs, compiled (and recompiled on change) by `vite dev` and `vite build`. The
		// command-line tools (scripts/run-ts.js), which may run side by side, use the copy compiled by
		// `npm run i18n` (the test command and `npm ci` run it) instead of writing it at once.
		...(process.env.GRIDWATCH_CLI
			? []
			: [
					paraglideVitePlugin({
						project: './project.inlang',
						outdir: './src/lib/paraglide',
						strategy: ['baseLocale'],
						emitTsDeclarations: true,
						emitReadme: false
					})
				]),
		sveltekit()
	],
	// The test hooks (see __TEST_HOOKS__ in src/app.d.ts): compiled in only when asked for.
	define: { __TEST_HOOKS__: JSON.stringify(process.env.GRIDWATCH_TEST_HOOKS === '1') },
	worker: { format: 'es' },
	server: { fs: { allow: ['data'] } }
});
