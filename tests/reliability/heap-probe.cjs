// Loaded into the app's server by the reliability run only (NODE_OPTIONS="--expose-gc --require …"): on
// SIGUSR2 it collects all garbage, then writes the live heap and the resident memory as one JSON line.
// Resident memory alone cannot tell a leak from a heap that has not been collected yet.
process.on('SIGUSR2', () => {
	globalThis.gc();
	globalThis.gc();
	const memory = process.memoryUsage();
	process.stdout.write(
		`${JSON.stringify({ msg: 'heap-probe', heapUsed: memory.heapUsed, external: memory.external, rss: memory.rss })}\n`
	);
});
