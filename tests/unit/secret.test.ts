import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashIdNumber, loadOrCreateSecret } from '../../src/lib/server/secret';

describe('server secret and ID-number hashing', () => {
	it('generates a secret on first start, saves it privately, and reads the same one back', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'gw-secret-')), 'nested', 'secret.key');
		const first = loadOrCreateSecret({ secretFromEnv: null, secretFile: file });
		expect(first).toHaveLength(32);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(loadOrCreateSecret({ secretFromEnv: null, secretFile: file }).equals(first)).toBe(true);
		expect(readFileSync(file, 'utf8').trim()).toHaveLength(64);
	});

	it('prefers GRIDWATCH_SECRET and refuses a short one', () => {
		expect(
			loadOrCreateSecret({ secretFromEnv: 'x'.repeat(40), secretFile: '/nonexistent/x' }).toString()
		).toBe('x'.repeat(40));
		expect(() =>
			loadOrCreateSecret({ secretFromEnv: 'short', secretFile: '/nonexistent/x' })
		).toThrow(/at least 32/);
	});

	it('hashes an ID number with the key: same number same hash, another key another hash, never the number', () => {
		const a = Buffer.alloc(32, 1);
		const b = Buffer.alloc(32, 2);
		const id = '33010219800101123x';
		expect(hashIdNumber(a, id)).toBe(hashIdNumber(a, ' 33010219800101123X '));
		expect(hashIdNumber(a, id)).not.toBe(hashIdNumber(b, id));
		expect(hashIdNumber(a, id)).toMatch(/^[0-9a-f]{64}$/);
		expect(hashIdNumber(a, id)).not.toContain('330102');
	});
});
