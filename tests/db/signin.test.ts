import { describe, expect, it } from 'vitest';
import { signIn } from '../../src/lib/server/auth/signin';
import { createUser } from '../../src/lib/server/auth/users';
import { inRolledBackTransaction } from './database';

const policy = { idleMinutes: 30, absoluteHours: 12 };

describe('sign-in', () => {
	it('accepts the right password, refuses a wrong one and a disabled user, and audits each', async () => {
		const outcome = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			const userId = await createUser(tx, { subdistrictId, username: 'signin-test', displayName: '测试', role: 'leader', password: 'the right passphrase', areaCodes: [] });
			const right = await signIn(tx, 'Signin-Test ', 'the right passphrase', '10.0.0.1', policy);
			const wrong = await signIn(tx, 'signin-test', 'the wrong passphrase', '10.0.0.1', policy);
			const unknown = await signIn(tx, 'nobody-here', 'whatever it is', '10.0.0.1', policy);
			await tx.query('UPDATE app_user SET disabled = true WHERE id = $1', [userId]);
			const disabled = await signIn(tx, 'signin-test', 'the right passphrase', '10.0.0.1', policy);
			const audit = await tx.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor IN ('signin-test', 'nobody-here') ORDER BY id`);
			return { right, wrong, unknown, disabled, audit: audit.map((a) => a.action) };
		});
		expect(outcome.right).toMatchObject({ ok: true });
		expect(outcome.wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(outcome.unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(outcome.disabled).toEqual({ ok: false, reason: 'invalid' });
		expect(outcome.audit).toEqual(['signin', 'signin.failed', 'signin.failed', 'signin.failed']);
	});

	it('throttles an address after 10 failures in 15 minutes, whatever the accounts, but not other addresses', async () => {
		const outcome = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			await createUser(tx, { subdistrictId, username: 'throttle-victim', displayName: '测试', role: 'leader', password: 'the right passphrase', areaCodes: [] });
			for (let i = 0; i < 10; i++) await signIn(tx, `guess-${i}`, 'wrong guess here', '10.9.9.9', policy);
			const sameAddress = await signIn(tx, 'throttle-victim', 'the right passphrase', '10.9.9.9', policy);
			const otherAddress = await signIn(tx, 'throttle-victim', 'the right passphrase', '10.9.9.10', policy);
			// Failures older than the window no longer count.
			await tx.query(`UPDATE signin_attempt SET at = at - interval '16 minutes' WHERE address = '10.9.9.9'`);
			const later = await signIn(tx, 'throttle-victim', 'the right passphrase', '10.9.9.9', policy);
			return { sameAddress, otherAddress, later };
		});
		expect(outcome.sameAddress).toMatchObject({ ok: false, reason: 'throttled' });
		expect((outcome.sameAddress as { waitMinutes: number }).waitMinutes).toBeGreaterThanOrEqual(14);
		expect(outcome.otherAddress).toMatchObject({ ok: true });
		expect(outcome.later).toMatchObject({ ok: true });
	});
});
