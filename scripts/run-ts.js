// Runs a TypeScript module of the app (with its $lib aliases and bundled migrations)
// through Vite's server-side loader, and calls its exported main(args).
// Usage: node scripts/run-ts.js src/lib/server/cli/<command>.ts [args…]
import { createServer } from 'vite';

const [modulePath, ...args] = process.argv.slice(2);
if (!modulePath) {
	console.error('usage: node scripts/run-ts.js <module.ts> [args…]');
	process.exit(2);
}
// vite.config.ts leaves Paraglide's plugin out for these tools: they read the catalogs `npm run i18n` compiled.
process.env.GRIDWATCH_CLI = '1';
const server = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'error'
});
let code = 0;
try {
	const module = await server.ssrLoadModule(`/${modulePath.replace(/^\.?\//, '')}`);
	code = (await module.main(args)) ?? 0;
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	code = 1;
} finally {
	await server.close();
}
process.exit(code);
