// Starts the built app: opens (on first start: creates and seeds) the database, then listens.
// PORT (default 3000) and HOST (default 0.0.0.0) as usual; see README for the rest.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../build/handler.js', import.meta.url))) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
// adapter-node assumes https unless told otherwise; this server speaks plain http. Unless the
// operator configures a reverse proxy (ORIGIN, or PROTOCOL_HEADER=x-forwarded-proto), tell it the
// real protocol through a header this server sets itself (any client-sent value is overwritten).
const OWN_PROTOCOL_HEADER = 'x-gridwatch-protocol';
const ownProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (ownProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

// Uploads: adapter-node refuses request bodies over 512 KB unless told otherwise; an address register
// of a subdistrict is several MB (the import reads at most 32 MB: MAX_IMPORT_BYTES).
process.env.BODY_SIZE_LIMIT ??= '33M';

const started = Date.now();
let handler;
try {
	({ handler } = await import('../build/handler.js'));
} catch (error) {
	// Plain words on stderr: the person starting the service reads this one (logs are JSON on stdout).
	console.error(`Gridwatch could not start: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
}
/** A timeout in whole seconds from the environment (as adapter-node reads them), or the default. */
function seconds(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d{1,4}$/.test(raw)) {
		console.error(
			`Gridwatch could not start: ${name} must be a whole number of seconds (got "${raw}").`
		);
		process.exit(1);
	}
	return Number(raw);
}
// How long an idle kept-alive connection stays open: Node's 5 s unless KEEP_ALIVE_TIMEOUT says
// otherwise. Short on purpose: with 75 s, the reliability run's fuzzed requests left ~50 later
// requests hanging on reused connections (with 5 s they fail at once and the client retries). Behind nginx, keep its idle upstream connections
// shorter than this (`keepalive_timeout 4s;` in the upstream block, docs/operations.md), or it may
// send a request on a socket the app is closing at that moment (a 502).
const keepAliveSeconds = seconds('KEEP_ALIVE_TIMEOUT', 5);
const headersSeconds = seconds('HEADERS_TIMEOUT', Math.max(60, keepAliveSeconds + 5));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const server = createServer((request, response) => {
	if (ownProtocol) request.headers[OWN_PROTOCOL_HEADER] = 'http';
	handler(request, response);
});
server.keepAliveTimeout = keepAliveSeconds * 1000;
server.headersTimeout = headersSeconds * 1000;
server.listen(port, host, () => {
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	// One JSON line, as every log line (src/lib/server/log.ts); tests wait for its words.
	console.log(
		JSON.stringify({
			time: new Date().toISOString(),
			level: 'info',
			msg: `Gridwatch is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${shown}:${port}/`
		})
	);
});
// Stopping: open event streams (wall screens) are told to end, idle connections close at once,
// the rest after two seconds; the process leaves within ten whatever happens.
const stop = () => {
	process.emit('gridwatch:shutdown');
	server.close(() => process.exit(0));
	server.closeIdleConnections();
	setTimeout(() => server.closeAllConnections(), 2000).unref();
	setTimeout(() => process.exit(0), 10_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
