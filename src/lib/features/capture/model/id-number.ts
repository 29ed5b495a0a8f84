/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): 6 digits of region, 8 of birth date, 3 of
 * sequence and a check character (ISO 7064 MOD 11-2: 0–9 or X). Only their keyed hash is stored;
 * this checks one as typed, before it is hashed.
 */

/** Why an ID number is refused, as a message key's tail: `capture_id_<problem>`. */
export type IdNumberProblem =
	'length' | 'old_15' | 'characters' | 'region' | 'birth_date' | 'check';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
	return CHECK[sum % 11];
}

/**
 * The number as stored for hashing: spaces and dashes typed between groups dropped, full-width
 * digits and a lower-case or full-width x made plain. `３３０１…ｘ` → `3301…X`.
 */
export function normaliseIdNumber(typed: string): string {
	return typed
		.replace(/[\s-]/g, '')
		.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
		.replace(/[xｘＸ]/g, 'X');
}

/**
 * Checks a normalised ID number: 18 characters, the region's first digit 1–8, a real birth date
 * from 1900 to `today` (YYYY-MM-DD), and the check character. Returns the first problem, or null.
 */
export function idNumberProblem(id: string, today: string): IdNumberProblem | null {
	if (/^\d{15}$/.test(id)) return 'old_15';
	if (id.length !== 18) return 'length';
	if (!/^\d{17}[\dX]$/.test(id)) return 'characters';
	if (!/^[1-8]/.test(id)) return 'region';
	const year = Number(id.slice(6, 10));
	const month = Number(id.slice(10, 12));
	const day = Number(id.slice(12, 14));
	const date = new Date(Date.UTC(year, month - 1, day));
	const iso = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
	if (
		year < 1900 ||
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		iso > today
	)
		return 'birth_date';
	if (idCheckCharacter(id) !== id[17]) return 'check';
	return null;
}
