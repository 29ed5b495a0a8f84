import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface RunningServer {
	url: string;
	process: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

/** Starts the built app (`node scripts/start.js`) and waits until it prints that it is ready. */
export async function startServer(
	env: Record<string, string>,
	timeoutMs = 240_000,
	fixedPort?: number
): Promise<RunningServer> {
	const port = fixedPort ?? (await freePort());
	const child = spawn(process.execPath, ['scripts/start.js'], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(
			() => fail(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)),
			timeoutMs
		);
		child.on('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`server exited with ${code}:\n${output}`));
		});
		const poll = setInterval(() => {
			if (output.includes('Gridwatch is ready')) {
				clearInterval(poll);
				clearTimeout(timer);
				done();
			}
		}, 50);
	});
	return {
		url: `http://127.0.0.1:${port}`,
		process: child,
		output: () => output,
		stop: () =>
			new Promise((done) => {
				if (child.exitCode !== null) return done();
				child.once('exit', () => done());
				child.kill('SIGTERM');
			})
	};
}

/**
 * Runs `vite build` (the production build the README's `npm start` serves), with the test hooks
 * compiled in (GRIDWATCH_TEST_HOOKS=1: the map and the wall on `window`, for the tests to drive).
 */
export async function buildApp(): Promise<void> {
	await new Promise<void>((done, fail) => {
		const child = spawn(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
			{
				cwd: ROOT,
				// The build compiles the catalogs itself (Paraglide's Vite plugin), even when called from a CLI tool.
				env: { ...process.env, GRIDWATCH_TEST_HOOKS: '1', GRIDWATCH_CLI: '' },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let output = '';
		child.stdout.on('data', (c) => (output += c));
		child.stderr.on('data', (c) => (output += c));
		child.on('exit', (code) =>
			code === 0 ? done() : fail(new Error(`vite build failed (${code}):\n${output}`))
		);
	});
}
