import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/catalogs';

/**
 * Files whose Chinese is data, not the UI's words (so it is not in a catalog), each with why.
 * Anything else with a Chinese character outside a comment fails: its words belong in a catalog.
 */
const DATA: Record<string, string> = {
	'src/lib/server/demo/': 'the demo generator: the article’s place names and invented people',
	'src/lib/features/auth/server/demo-users.server.ts': 'the demo accounts’ display names',
	'src/lib/features/capture/model/address.ts':
		'Chinese address grammar: 幢, 单元, 室 are part of an address in either UI language (stored and sent so), and typed addresses use Chinese numerals',
	'src/lib/features/intake/model/address-register.ts':
		'the column headers of the registers Chinese offices keep (matched against a file, never shown) and the marks of address parts (幢, 单元, 室) read from its cells',
	'src/lib/features/intake/model/returnee-register.ts':
		'the column headers of returnee registers (matched against a file, never shown) and the marks of dates as they write them (2020年1月25日 14时30分)',
	'src/lib/features/intake/model/area-register.ts':
		'the attribute names of boundary files Chinese GIS offices keep (网格编码, 所属社区: matched against a file, never shown)',
	'src/lib/map/map-text.ts':
		'drops the 社区 suffix from community names read from the database (labelText)'
};

/** Chinese characters (ideographs; full-width punctuation used alike in both languages is a format, not a word). */
/** Single lines that handle data in Chinese, each with why. */
const DATA_LINES: Record<string, RegExp> = {
	// labelText drops the 社区 suffix from community names read from the database.
	'src/lib/map/map-text.ts': /\.replace\(\/社区\$\/, ''\)/
};

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/;

function sources(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (name !== 'paraglide' && name !== 'messages') sources(path, out);
		} else if (/\.(ts|js|svelte)$/.test(name)) out.push(path);
	}
	return out;
}

/** The text with its comments blanked (line numbers kept): block, line and HTML comments. */
function withoutComments(text: string): string {
	const blank = (match: string) => match.replace(/[^\n]/g, ' ');
	return (
		text
			// A block comment opens after a space, a bracket or a line's start: not `/*` inside a string ('./x/*.sql').
			.replace(
				/(^|[\s;{}(),])\/\*[\s\S]*?\*\//gm,
				(match, lead: string) => lead + blank(match.slice(lead.length))
			)
			.replace(/<!--[\s\S]*?-->/g, blank)
			.replace(
				/(^|[\s;{}(),])\/\/.*$/gm,
				(match, lead: string) => lead + blank(match.slice(lead.length))
			)
	);
}

describe('UI words live in the catalogs', () => {
	it('leaves no Chinese text in code outside comments and data', () => {
		const inline: string[] = [];
		for (const file of sources(join(ROOT, 'src'))) {
			const path = relative(ROOT, file);
			if (Object.keys(DATA).some((prefix) => path.startsWith(prefix))) continue;
			withoutComments(readFileSync(file, 'utf8'))
				.split('\n')
				.forEach((line, i) => {
					if (HAN.test(line) && !DATA_LINES[path]?.test(line))
						inline.push(`${path}:${i + 1}: ${line.trim()}`);
				});
		}
		expect(inline).toEqual([]);
	});

	it('keeps no two-language helper: no L(zh, en), say(zh, en) or { zh-CN: …, en: … } literal', () => {
		const found: string[] = [];
		for (const file of sources(join(ROOT, 'src'))) {
			const path = relative(ROOT, file);
			withoutComments(readFileSync(file, 'utf8'))
				.split('\n')
				.forEach((line, i) => {
					if (/\bL\(\s*['"`]|\bsay\(\s*['"`]|'zh-CN':\s*['"`]/.test(line))
						found.push(`${path}:${i + 1}: ${line.trim()}`);
				});
		}
		expect(found).toEqual([]);
	});

	it('finds Chinese in code and ignores it in comments (the check can fail)', () => {
		const code =
			"const a = '居家观察'; // 注释\n/* 块注释 */ const b = 1;\n<!-- 注释 --><p>x</p>\nglob('./m/*.sql'); const c = '居家';\n*/";
		const lines = withoutComments(code).split('\n');
		expect(lines.map((line) => HAN.test(line))).toEqual([true, false, false, true, false]);
	});
});
