// Starts the built app: opens (on first start: creates and seeds) the database, then listens.
// PORT (default 3000) and HOST (default 0.0.0.0) as usual; see README for the rest.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../build/handler.js', import.meta.url))) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
const started = Date.now();
let handler;
try {
	({ handler } = await import('../build/handler.js'));
} catch (error) {
	console.error(`Gridwatch could not start: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const server = createServer(handler);
server.listen(port, host, () => {
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	console.log(`Gridwatch is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${shown}:${port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
