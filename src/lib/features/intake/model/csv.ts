/** A CSV that cannot be read: where (1-based line) and what. */
export class CsvError extends Error {
	constructor(
		readonly line: number,
		readonly problem: 'unclosed_quote' | 'text_after_quote'
	) {
		super(`${problem} at line ${line}`);
	}
}

/**
 * Rows of a CSV as RFC 4180 writes them (and Excel, and WPS): fields split by the delimiter, quoted
 * fields may hold delimiters, line breaks and doubled quotes; lines end in CRLF or LF. The delimiter
 * is the one of comma, semicolon and tab that the first line holds most of. Empty trailing lines
 * are dropped; every row keeps the line it started on.
 */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
	const first = text.slice(0, text.search(/\r?\n|$/));
	const delimiter = [',', '\t', ';'].reduce((best, d) =>
		first.split(d).length > first.split(best).length ? d : best
	);
	const rows: { cells: string[]; line: number }[] = [];
	let cells: string[] = [];
	let field = '';
	let line = 1;
	let rowLine = 1;
	let i = 0;
	let quoted = false;
	let afterQuote = false;
	const endRow = () => {
		cells.push(field);
		if (cells.length > 1 || cells[0] !== '') rows.push({ cells, line: rowLine });
		cells = [];
		field = '';
		afterQuote = false;
	};
	while (i < text.length) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				afterQuote = true;
			} else {
				if (ch === '\n') line++;
				field += ch;
			}
			i++;
			continue;
		}
		if (ch === '"' && field === '' && !afterQuote) {
			quoted = true;
			i++;
			continue;
		}
		if (ch === delimiter) {
			cells.push(field);
			field = '';
			afterQuote = false;
		} else if (ch === '\n' || ch === '\r') {
			endRow();
			if (ch === '\r' && text[i + 1] === '\n') i++;
			line++;
			rowLine = line;
		} else {
			if (afterQuote && ch !== ' ') throw new CsvError(line, 'text_after_quote');
			if (!afterQuote) field += ch;
		}
		i++;
	}
	if (quoted) throw new CsvError(rowLine, 'unclosed_quote');
	if (field !== '' || cells.length) endRow();
	return rows;
}
