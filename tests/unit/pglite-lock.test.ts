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
			expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.pid}`));
			release();
			expect(existsSync(join(dir, 'gridwatch.lock'))).toBe(false);
			lockDataDir(dir)();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('takes over a lock left by a process that is gone', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gridwatch-lock-'));
		try {
			writeFileSync(join(dir, 'gridwatch.lock'), '2147483646');
			const release = lockDataDir(dir);
			release();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
