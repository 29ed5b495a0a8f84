import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { say } from '../../../server/say';

/** scrypt parameters (OWASP password storage guidance: N=2^17, r=8, p=1; N=2^15 keeps sign-in under ~100 ms here). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function derive(
	password: string,
	salt: Buffer,
	options: { N: number; r: number; p: number; keyLength: number }
): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scrypt(
			password.normalize('NFKC'),
			salt,
			options.keyLength,
			{ N: options.N, r: options.r, p: options.p, maxmem: 128 * options.N * options.r * 2 },
			(error, key) => (error ? reject(error) : resolve(key))
		)
	);
}

/** "scrypt$N$r$p$salt$hash" with a fresh 16-byte salt per password. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, PARAMS);
	return [
		'scrypt',
		PARAMS.N,
		PARAMS.r,
		PARAMS.p,
		salt.toString('base64'),
		key.toString('base64')
	].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [N, r, p] = parts.slice(1, 4).map(Number);
	const salt = Buffer.from(parts[4], 'base64');
	const expected = Buffer.from(parts[5], 'base64');
	const key = await derive(password, salt, { N, r, p, keyLength: expected.length });
	return timingSafeEqual(key, expected);
}

/** Password policy: at least 10 characters (NIST SP 800-63B allows long passphrases; no composition rules). */
export function passwordProblem(password: string): string | null {
	if (password.length < 10) return say().auth_password_too_short();
	if (password.length > 200) return say().auth_password_too_long();
	return null;
}
