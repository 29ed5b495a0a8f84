import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, ownerAlive } from '../../src/lib/server/db/pglite';

describe('embedded database lock', () => {
	it('refuses a second owner of the same folder, naming the process, and frees the folder on release', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-lock-'));
		try {
			const release = lockDataDir(dir);
			expect(existsSync(join(dir, 'gridwatch.lock'))).toBe(true);
			release();
			expect(existsSync(join(dir, 'gridwatch.lock'))).toBe(false);
			// Another live process (here: our parent) holds it.
			writeFileSync(join(dir, 'gridwatch.lock'), String(process.ppid));
			expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('takes over a lock left by a process that is gone, or by an earlier process with our pid (containers)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-lock-'));
		try {
			writeFileSync(join(dir, 'gridwatch.lock'), '2147483646');
			lockDataDir(dir)();
			writeFileSync(join(dir, 'gridwatch.lock'), String(process.pid));
			lockDataDir(dir)();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
	it('takes over a lock whose process is a zombie: killed -9 and not yet reaped, as a restart one second later finds it (issue 16 item 8)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-lock-'));
		// `sleep 0.3` is still running when its shell becomes `sleep 30` (exec), which never reaps it: when it
		// ends, it stays a zombie. (With `sleep 0` the shell could reap it before the exec on a busy machine.)
		const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], {
			stdio: ['ignore', 'pipe', 'ignore']
		});
		try {
			const zombie = Number(
				await new Promise<string>((resolve) =>
					parent.stdout!.once('data', (chunk) => resolve(String(chunk).trim()))
				)
			);
			await expect
				.poll(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1][0], {
					timeout: 10_000
				})
				.toBe('Z');
			// process.kill(pid, 0) still succeeds on a zombie: only its state says it is dead.
			expect(process.kill(zombie, 0)).toBe(true);
			writeFileSync(join(dir, 'gridwatch.lock'), String(zombie));
			const release = lockDataDir(dir);
			expect(readFileSync(join(dir, 'gridwatch.lock'), 'utf8')).toMatch(
				new RegExp(`^${process.pid} \\d+$`)
			);
			release();
		} finally {
			parent.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		}
	}, 20_000);

	it('takes over a lock whose process id now names another process (started at another time), keeps one whose owner still runs', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-lock-'));
		try {
			const parentStarted = readFileSync(`/proc/${process.ppid}/stat`, 'utf8')
				.split(') ')[1]
				.split(' ')[19];
			writeFileSync(join(dir, 'gridwatch.lock'), `${process.ppid} ${Number(parentStarted) + 1}`);
			lockDataDir(dir)();
			writeFileSync(join(dir, 'gridwatch.lock'), `${process.ppid} ${parentStarted}`);
			expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('whose lock is alive', () => {
	const probe = (
		signal: 'yes' | 'no' | 'other-user',
		info: { state: string; started: string } | null,
		hasProc = true
	) => ({ signal: () => signal, info: () => info, hasProc: () => hasProc });
	it('keeps a lock whose owner runs under another user with /proc hidden from us (hidepid): it may be a live server', () => {
		expect(ownerAlive(4242, '9001', probe('other-user', null))).toBe(true);
	});
	it('takes a lock whose owner is gone, a zombie, or another process given its id; keeps one whose id and start time match', () => {
		expect(ownerAlive(4242, '9001', probe('no', null))).toBe(false);
		expect(ownerAlive(4242, '9001', probe('yes', null))).toBe(false); // ended between the signal and the read
		expect(ownerAlive(4242, '9001', probe('yes', { state: 'Z', started: '9001' }))).toBe(false);
		expect(ownerAlive(4242, '9001', probe('yes', { state: 'S', started: '7' }))).toBe(false);
		expect(ownerAlive(4242, '9001', probe('yes', { state: 'S', started: '9001' }))).toBe(true);
		expect(ownerAlive(4242, undefined, probe('yes', { state: 'R', started: '7' }))).toBe(true); // an old lock without a start time
		expect(ownerAlive(4242, '9001', probe('yes', null, false))).toBe(true); // no /proc at all: only the id can be checked
	});
});
