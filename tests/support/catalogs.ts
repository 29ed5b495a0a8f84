/**
 * Reads the message catalogs as Paraglide does (project.inlang/settings.json's path patterns) and says
 * what is wrong with them: a key missing in one language, a key in two catalogs, a key without its
 * feature's prefix, an empty text, placeholders that differ between the languages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

export type Catalog = {
	folder: string;
	prefix: string;
	texts: Record<string, Record<string, string>>;
};

const placeholders = (text: string) =>
	[...text.matchAll(/(?<!\\)\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)].map((match) => match[1]).sort();

export function readSettings(): { locales: string[]; patterns: string[] } {
	const settings = JSON.parse(readFileSync(join(ROOT, 'project.inlang', 'settings.json'), 'utf8'));
	const pattern = settings['plugin.inlang.messageFormat'].pathPattern;
	return { locales: settings.locales, patterns: Array.isArray(pattern) ? pattern : [pattern] };
}

/** One catalog per path pattern; its prefix is its folder's feature (`features/map/messages` → `map_`). */
export function readCatalogs(): Catalog[] {
	const { locales, patterns } = readSettings();
	return patterns.map((pattern) => {
		const folder = dirname(pattern.replace(/^\.\//, ''));
		const feature = folder.match(/(?:features\/([a-z-]+)|lib\/(core))\/messages$/);
		const prefix = `${feature?.[1] ?? feature?.[2] ?? '?'}_`;
		const texts: Record<string, Record<string, string>> = {};
		for (const locale of locales) {
			const file = join(ROOT, pattern.replace('{locale}', locale));
			const entries = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
			delete entries.$schema;
			texts[locale] = entries;
		}
		return { folder, prefix, texts };
	});
}

/** Every problem in the catalogs, one line each (empty when they are sound). */
export function catalogProblems(catalogs: Catalog[], locales: string[]): string[] {
	const problems: string[] = [];
	const owner = new Map<string, string>();
	for (const { folder, prefix, texts } of catalogs) {
		const keys = new Set(locales.flatMap((locale) => Object.keys(texts[locale] ?? {})));
		for (const key of keys) {
			if (!key.startsWith(prefix))
				problems.push(`${folder}: "${key}" does not start with ${prefix}`);
			if (!/^[a-z][a-z0-9_]*$/.test(key)) problems.push(`${folder}: "${key}" is not snake_case`);
			const other = owner.get(key);
			if (other) problems.push(`"${key}" is in ${other} and ${folder}`);
			owner.set(key, folder);
			const shapes = new Set<string>();
			for (const locale of locales) {
				const text = texts[locale]?.[key];
				if (text === undefined) problems.push(`${folder}/${locale}.json: "${key}" is missing`);
				else if (typeof text !== 'string' || text.trim() === '')
					problems.push(`${folder}/${locale}.json: "${key}" is empty`);
				else shapes.add(placeholders(text).join(','));
			}
			if (shapes.size > 1)
				problems.push(`${folder}: "${key}" has different placeholders in its languages`);
		}
	}
	return problems;
}
