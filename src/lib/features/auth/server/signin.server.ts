import type { Queryable } from '../../../server/db/types';
import { verifyPassword } from './password.server';
import { createSession, type SessionPolicy } from './sessions.server';
import {
	countThrottled,
	markSucceeded,
	pruneSigninRows,
	reserveSigninAttempt,
	THROTTLE
} from './throttle.server';
import { writeAudit } from '../../../server/audit';
import { errorFields, logLine } from '../../../server/log';

export type SigninResult =
	| { ok: true; token: string; userId: number }
	| { ok: false; reason: 'throttled'; waitMinutes: number }
	| { ok: false; reason: 'invalid' };

/** A hash of a random password, verified against when the username is unknown, so both paths take as long. */
const DUMMY_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Takes a place under the throttle (atomically: concurrent attempts cannot all be checked), then checks the
 * password; audits each checked attempt, and only the first refused one of a window per address.
 */
export async function signIn(
	db: Queryable,
	username: string,
	password: string,
	address: string,
	policy: SessionPolicy
): Promise<SigninResult> {
	const name = username.trim().toLowerCase();
	// Housekeeping must not cost anyone their sign-in: a failed delete is logged and tried again within the hour.
	await pruneSigninRows(db).catch((cause) =>
		logLine('warn', 'sign-in rows not pruned', errorFields(cause))
	);
	const reservation = await reserveSigninAttempt(db, name, address);
	if ('waitMinutes' in reservation) {
		if (await countThrottled(db, address)) {
			await writeAudit(db, {
				subdistrictId: null,
				actorUserId: null,
				actor: name.slice(0, 64),
				action: 'signin.throttled',
				address,
				detail: { windowMinutes: THROTTLE.windowMinutes }
			});
		}
		return { ok: false, reason: 'throttled', waitMinutes: reservation.waitMinutes };
	}
	const [user] = await db.query<{
		id: number;
		subdistrictId: number;
		passwordHash: string;
		disabled: boolean;
	}>(
		'SELECT id, subdistrict_id AS "subdistrictId", password_hash AS "passwordHash", disabled FROM app_user WHERE username = $1',
		[name]
	);
	const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
	const succeeded = Boolean(user && matches && !user.disabled);
	if (!succeeded || !user) {
		await writeAudit(db, {
			subdistrictId: user?.subdistrictId ?? null,
			actorUserId: user?.id ?? null,
			actor: name.slice(0, 64),
			action: 'signin.failed',
			address
		});
		return { ok: false, reason: 'invalid' };
	}
	await markSucceeded(db, reservation.attemptId);
	const token = await createSession(db, user.id, policy, address);
	await writeAudit(db, {
		subdistrictId: user.subdistrictId,
		actorUserId: user.id,
		actor: name,
		action: 'signin',
		address
	});
	return { ok: true, token, userId: user.id };
}
