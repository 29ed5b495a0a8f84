import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../src/lib/server/db/pglite';

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
});
