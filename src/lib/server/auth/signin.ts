import type { Queryable } from '../db/types';
import { verifyPassword } from './password';
import { createSession, type SessionPolicy } from './sessions';
import { recordSigninAttempt, signinWaitMinutes } from './throttle';
import { writeAudit } from '../audit';

export type SigninResult =
	| { ok: true; token: string; userId: number }
	| { ok: false; reason: 'throttled'; waitMinutes: number }
	| { ok: false; reason: 'invalid' };

/** A hash of a random password, verified against when the username is unknown, so both paths take as long. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Checks throttling, then the password; records the attempt and audits it. */
export async function signIn(db: Queryable, username: string, password: string, address: string, policy: SessionPolicy): Promise<SigninResult> {
	const name = username.trim().toLowerCase();
	const waitMinutes = await signinWaitMinutes(db, name, address);
	if (waitMinutes > 0) {
		await writeAudit(db, { subdistrictId: null, actorUserId: null, actor: name, action: 'signin.throttled', address });
		return { ok: false, reason: 'throttled', waitMinutes };
	}
	const [user] = await db.query<{ id: number; subdistrictId: number; passwordHash: string; disabled: boolean }>(
		'SELECT id, subdistrict_id AS "subdistrictId", password_hash AS "passwordHash", disabled FROM app_user WHERE username = $1',
		[name]
	);
	const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
	const succeeded = Boolean(user && matches && !user.disabled);
	await recordSigninAttempt(db, name, address, succeeded);
	if (!succeeded || !user) {
		await writeAudit(db, { subdistrictId: user?.subdistrictId ?? null, actorUserId: user?.id ?? null, actor: name, action: 'signin.failed', address });
		return { ok: false, reason: 'invalid' };
	}
	const token = await createSession(db, user.id, policy, address);
	await writeAudit(db, { subdistrictId: user.subdistrictId, actorUserId: user.id, actor: name, action: 'signin', address });
	return { ok: true, token, userId: user.id };
}
