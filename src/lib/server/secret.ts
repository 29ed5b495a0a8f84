import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { nameForms } from '../features/intake/model/duplicates';

/** A fixed key for tests and benchmarks only (never a deployment). */
export const TEST_SECRET = Buffer.alloc(32, 7);

/**
 * The server secret keys the hash of ID numbers (HMAC-SHA256): records can be matched across
 * communities (横向查重) without storing the number. From GRIDWATCH_SECRET, or generated on first
 * start and saved (mode 0600) in GRIDWATCH_SECRET_FILE (default data/gridwatch-secret.key).
 * Losing it makes existing hashes unmatchable: back it up with the database.
 */
export function loadOrCreateSecret(source: {
	secretFromEnv: string | null;
	secretFile: string;
}): Buffer {
	const fromEnv = source.secretFromEnv;
	if (fromEnv) {
		if (fromEnv.length < 32)
			throw new Error(
				'GRIDWATCH_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)'
			);
		return Buffer.from(fromEnv, 'utf8');
	}
	const file = source.secretFile;
	if (existsSync(file)) {
		const stored = readFileSync(file, 'utf8').trim();
		if (stored.length < 64)
			throw new Error(`The secret in ${file} is too short or damaged: restore it from backup`);
		return Buffer.from(stored, 'hex');
	}
	mkdirSync(dirname(file), { recursive: true });
	const secret = randomBytes(32);
	writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
	return secret;
}

/** Keyed hash of a Chinese resident ID number (normalised: trimmed, upper-case X). */
export function hashIdNumber(secret: Buffer, idNumber: string): string {
	return createHmac('sha256', secret).update(idNumber.trim().toUpperCase()).digest('hex');
}

let cached: Buffer | null = null;
/** The server secret of this process's configuration (see loadOrCreateSecret), read once. */
export function serverSecret(config: { secretFromEnv: string | null; secretFile: string }): Buffer {
	cached ??= loadOrCreateSecret(config);
	return cached;
}

/**
 * Keyed hashes of a name's forms for 横向查重 (see nameForms): 24 hex digits each, the name itself
 * first. Like the ID hash, they match records without keeping the name.
 */
export function hashNameForms(secret: Buffer, name: string): string[] {
	return nameForms(name).map((form) =>
		createHmac('sha256', secret).update(`name:${form}`).digest('hex').slice(0, 24)
	);
}

/** Keyed hash of a phone's digits (as normalisePhone gives them), for 横向查重. */
export function hashPhone(secret: Buffer, digits: string): string {
	return createHmac('sha256', secret).update(`phone:${digits}`).digest('hex').slice(0, 24);
}
