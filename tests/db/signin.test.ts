import { describe, expect, it } from 'vitest';
import { signIn } from '../../src/lib/features/auth/server/signin.server';
import {
	pruneSigninRows,
	SIGNIN_ROWS_KEPT_HOURS
} from '../../src/lib/features/auth/server/throttle.server';
import { createUser } from '../../src/lib/features/auth/server/users.server';
import { inRolledBackTransaction, testDb } from './database';
import { randomInt } from 'node:crypto';

const policy = { idleMinutes: 30, absoluteHours: 12 };

describe('sign-in', () => {
	it('accepts the right password, refuses a wrong one and a disabled user, and audits each', async () => {
		const outcome = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			const userId = await createUser(tx, {
				subdistrictId,
				username: 'signin-test',
				displayName: '测试',
				role: 'leader',
				password: 'the right passphrase',
				areaCodes: []
			});
			const right = await signIn(tx, 'Signin-Test ', 'the right passphrase', '10.0.0.1', policy);
			const wrong = await signIn(tx, 'signin-test', 'the wrong passphrase', '10.0.0.1', policy);
			const unknown = await signIn(tx, 'nobody-here', 'whatever it is', '10.0.0.1', policy);
			await tx.query('UPDATE app_user SET disabled = true WHERE id = $1', [userId]);
			const disabled = await signIn(tx, 'signin-test', 'the right passphrase', '10.0.0.1', policy);
			const audit = await tx.query<{ action: string }>(
				`SELECT action FROM audit_log WHERE actor IN ('signin-test', 'nobody-here') ORDER BY id`
			);
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
			await createUser(tx, {
				subdistrictId,
				username: 'throttle-victim',
				displayName: '测试',
				role: 'leader',
				password: 'the right passphrase',
				areaCodes: []
			});
			for (let i = 0; i < 10; i++)
				await signIn(tx, `guess-${i}`, 'wrong guess here', '10.9.9.9', policy);
			const sameAddress = await signIn(
				tx,
				'throttle-victim',
				'the right passphrase',
				'10.9.9.9',
				policy
			);
			const otherAddress = await signIn(
				tx,
				'throttle-victim',
				'the right passphrase',
				'10.9.9.10',
				policy
			);
			// Failures older than the window no longer count.
			await tx.query(
				`UPDATE signin_attempt SET at = at - interval '16 minutes' WHERE address = '10.9.9.9'`
			);
			const later = await signIn(tx, 'throttle-victim', 'the right passphrase', '10.9.9.9', policy);
			return { sameAddress, otherAddress, later };
		});
		expect(outcome.sameAddress).toMatchObject({ ok: false, reason: 'throttled' });
		expect((outcome.sameAddress as { waitMinutes: number }).waitMinutes).toBeGreaterThanOrEqual(14);
		expect(outcome.otherAddress).toMatchObject({ ok: true });
		expect(outcome.later).toMatchObject({ ok: true });
	});
	it(
		'checks no more than 10 of 100 concurrent wrong passwords for one account; the refused ones are counted, one audited (issue 16 items 5, 6)',
		{ timeout: 120_000 },
		async () => {
			const db = await testDb();
			const address = `10.${randomInt(100, 250)}.${randomInt(0, 250)}.${randomInt(1, 250)}`;
			const username = `race-${randomInt(1e9)}`;
			// An account name nobody has: checked exactly as a real one (a dummy hash), and nothing to clean up.
			const results = await Promise.all(
				Array.from({ length: 100 }, (_, i) =>
					signIn(db, username, `wrong guess ${i}`, address, policy)
				)
			);
			const invalid = results.filter((r) => !r.ok && r.reason === 'invalid').length;
			const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
			expect({ invalid, throttled }).toEqual({ invalid: 10, throttled: 90 });
			expect(await signIn(db, username, 'another guess', address, policy)).toMatchObject({
				ok: false,
				reason: 'throttled'
			});
			const audit = await db.query<{ action: string; n: number }>(
				`SELECT action, count(*)::int AS n FROM audit_log WHERE address = $1 GROUP BY action ORDER BY action`,
				[address]
			);
			expect(audit).toEqual([
				{ action: 'signin.failed', n: 10 },
				{ action: 'signin.throttled', n: 1 }
			]);
			const [counted] = await db.query<{ attempts: number }>(
				'SELECT sum(attempts)::int AS attempts FROM signin_throttled WHERE address = $1',
				[address]
			);
			expect(counted.attempts).toBe(91);
			const [checked] = await db.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM signin_attempt WHERE address = $1',
				[address]
			);
			expect(checked.n).toBe(10);
			await db.query('DELETE FROM signin_attempt WHERE address = $1', [address]);
			await db.query('DELETE FROM signin_throttled WHERE address = $1', [address]);
		}
	);

	it(`keeps the throttle's rows (usernames, addresses) ${SIGNIN_ROWS_KEPT_HOURS} h, then deletes them; the audit log keeps its lines`, async () => {
		const outcome = await inRolledBackTransaction(async (tx) => {
			await tx.query(
				`INSERT INTO signin_attempt (username, address, succeeded, at) VALUES ('prune-old', '10.9.9.1', false, now() - interval '25 hours'), ('prune-new', '10.9.9.1', false, now() - interval '23 hours')`
			);
			await tx.query(
				`INSERT INTO signin_throttled (address, window_start, last_at) VALUES ('10.9.9.1', now() - interval '30 hours', now() - interval '30 hours'), ('10.9.9.2', now() - interval '1 hour', now() - interval '1 hour')`
			);
			await tx.query(
				`INSERT INTO audit_log (actor, action, address, at) VALUES ('prune-old', 'signin.failed', '10.9.9.1', now() - interval '25 hours')`
			);
			const pruned = await pruneSigninRows(tx, { force: true });
			const attempts = await tx.query<{ username: string }>(
				`SELECT username FROM signin_attempt WHERE username LIKE 'prune-%' ORDER BY username`
			);
			const throttled = await tx.query<{ address: string }>(
				`SELECT address FROM signin_throttled WHERE address LIKE '10.9.9.%' ORDER BY address`
			);
			const audit = await tx.query(`SELECT 1 FROM audit_log WHERE actor = 'prune-old'`);
			// Within the hour the next call does nothing (sign-ins do not each pay for a delete).
			const again = await pruneSigninRows(tx);
			return {
				pruned,
				attempts: attempts.map((r) => r.username),
				throttled: throttled.map((r) => r.address),
				audit: audit.length,
				again
			};
		});
		expect(outcome.pruned).toMatchObject({
			attempts: expect.any(Number),
			throttled: expect.any(Number)
		});
		expect(outcome.pruned!.attempts).toBeGreaterThanOrEqual(1);
		expect(outcome.pruned!.throttled).toBeGreaterThanOrEqual(1);
		expect(outcome.attempts).toEqual(['prune-new']);
		expect(outcome.throttled).toEqual(['10.9.9.2']);
		expect(outcome.audit).toBe(1);
		expect(outcome.again).toBeNull();
	});
});
