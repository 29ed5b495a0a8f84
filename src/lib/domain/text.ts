/** Text fit to keep and show: well-formed, without control characters (the database refuses NUL). */
export function isPlainText(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 || c === 0x7f) return false;
	}
	return text.isWellFormed();
}

/** Text of several lines (a note): like isPlainText, but tabs and line breaks are allowed. */
export function isNoteText(text: string): boolean {
	return isPlainText(text.replace(/[\t\n\r]/g, ' '));
}
