/** Text fit to keep and show: well-formed, without control characters (C0, DEL, C1; the database refuses NUL). */
export function isPlainText(text: string): boolean {
	return !/\p{Cc}/u.test(text) && text.isWellFormed();
}

/** Text of several lines (a note): like isPlainText, but tabs and line breaks are allowed. */
export function isNoteText(text: string): boolean {
	return isPlainText(text.replace(/[\t\n\r]/g, ' '));
}
