import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogProblems, readCatalogs, readSettings, ROOT } from '../support/catalogs';
import { both, words } from '../../src/lib/core/i18n';

function filesUnder(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (name !== 'paraglide') filesUnder(path, out);
		} else out.push(path);
	}
	return out;
}

describe('message catalogs (zh-CN, en)', () => {
	const { locales, patterns } = readSettings();
	const catalogs = readCatalogs();

	it('are Chinese first, with English', () => {
		expect(locales).toEqual(['zh-CN', 'en']);
	});

	it('are all registered: every messages folder under src is in project.inlang', () => {
		const folders = filesUnder(join(ROOT, 'src'))
			.filter((file) => /\/messages\/zh-CN\.json$/.test(file))
			.map((file) => `./${relative(ROOT, file).replace('zh-CN.json', '{locale}.json')}`)
			.sort();
		expect(folders).toEqual([...patterns].sort());
	});

	it('have every key in both languages, once, with its feature prefix and the same placeholders', () => {
		expect(catalogProblems(catalogs, locales)).toEqual([]);
	});

	it('report a key missing in one language, a key in two catalogs and a placeholder that differs', () => {
		const problems = catalogProblems(
			[
				{
					folder: 'src/lib/features/map/messages',
					prefix: 'map_',
					texts: { 'zh-CN': { map_a: '甲', map_b: '{n} 户' }, en: { map_b: '{count} households' } }
				},
				{
					folder: 'src/lib/features/wall/messages',
					prefix: 'wall_',
					texts: { 'zh-CN': { map_a: '甲' }, en: { map_a: 'A' } }
				}
			],
			['zh-CN', 'en']
		);
		expect(problems).toEqual([
			'src/lib/features/map/messages/en.json: "map_a" is missing',
			'src/lib/features/map/messages: "map_b" has different placeholders in its languages',
			'src/lib/features/wall/messages: "map_a" does not start with wall_',
			'"map_a" is in src/lib/features/map/messages and src/lib/features/wall/messages'
		]);
	});

	it('have every key used by the code (no dead words)', () => {
		const code = filesUnder(join(ROOT, 'src'))
			.filter((file) => /\.(ts|svelte)$/.test(file))
			.map((file) => readFileSync(file, 'utf8'))
			.join('\n');
		const unused = catalogs
			.flatMap((catalog) => Object.keys(catalog.texts['zh-CN']))
			.filter((key) => !new RegExp(`\\b${key}\\b`).test(code));
		expect(unused).toEqual([]);
	});

	it('are what the compiled messages say, in the language asked for', () => {
		expect(words('zh-CN').core_app_title()).toBe('网格态势图');
		expect(words('en').core_app_title()).toBe('Gridwatch');
		expect(both('core_app_title')).toEqual({ 'zh-CN': '网格态势图', en: 'Gridwatch' });
	});
});
