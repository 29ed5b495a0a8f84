/**
 * Masking for display (PIPL: minimum necessary). Names keep the first and, for three or more
 * characters, the last character (张三 → 张*, 张小三 → 张*三); phones keep the first three and
 * last four digits (13812341234 → 138****1234).
 */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length === 0) return '';
	if (chars.length === 1) return chars[0];
	if (chars.length === 2) return `${chars[0]}*`;
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskPhone(phone: string): string {
	const digits = phone.replace(/\D/g, '');
	if (digits.length < 7) return '*'.repeat(digits.length);
	return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
