/**
 * 横向查重: what makes two person records probably the same person, without keeping a name or a
 * phone. A name is compared through keyed hashes of its forms (see nameForms); a phone through the
 * keyed hash of its digits. The rules, strongest first:
 * - `name_phone`: the same name and the same phone;
 * - `similar_name_phone`: names one character apart (a typo, a character left out or added) and the same phone;
 * - `similar_name_address`: names one character apart in the same household;
 * - `masked_name_phone`: for records written before names were hashed, the same masked name and masked
 *   phone in two households.
 * The same ID number cannot be two records of one subdistrict (its hash is unique there), so it is no rule.
 */
export const DUPLICATE_RULES = [
	'name_phone',
	'similar_name_phone',
	'similar_name_address',
	'masked_name_phone'
] as const;
export type DuplicateRule = (typeof DUPLICATE_RULES)[number];

/** A name as compared: full-width forms folded, spaces and name dots dropped, Latin letters lower-case. */
export function normaliseName(name: string): string {
	return name
		.normalize('NFKC')
		.replace(/[\s·•・.'-]+/g, '')
		.toLowerCase();
}

/**
 * The forms of a name that are hashed: the name itself, then each with one character left out,
 * keeping only forms of two characters or more (a single surname says nothing). Two names share a
 * form exactly when one character was changed, left out or added (张小明 / 张晓明 share 张明).
 */
export function nameForms(name: string): string[] {
	const chars = [...normaliseName(name)];
	const whole = chars.join('');
	if (!whole) return [];
	const forms = [whole];
	if (chars.length >= 3)
		for (let i = 0; i < chars.length; i++) {
			const form = [...chars.slice(0, i), ...chars.slice(i + 1)].join('');
			if (!forms.includes(form)) forms.push(form);
		}
	return forms;
}
