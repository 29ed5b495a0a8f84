/**
 * Names and phones are stored masked, as everywhere in Gridwatch (PIPL: collect the minimum): the
 * form takes them whole, the server keeps only these.
 */

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; a Latin name keeps its first and last letters. */
export function maskName(name: string): string {
	const chars = [...name.trim().replace(/\s+/g, ' ')];
	if (chars.length <= 1) return chars.join('') + '*';
	if (chars.length === 2) return `${chars[0]}*`;
	return chars[0] + '*'.repeat(Math.min(chars.length - 2, 4)) + chars[chars.length - 1];
}

/** Digits of a phone as typed (spaces, dashes, +86 dropped): 138 0013 8000 → 13800138000. */
export function normalisePhone(typed: string): string {
	return typed
		.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
		.replace(/[\s\-()（）]/g, '')
		.replace(/^(\+86|0086)/, '');
}

/** A mainland mobile number: 11 digits starting 1[3-9]. */
export const isMobile = (digits: string) => /^1[3-9]\d{9}$/.test(digits);

/** 13800138000 → 138****8000. */
export const maskPhone = (digits: string) => `${digits.slice(0, 3)}****${digits.slice(7)}`;
