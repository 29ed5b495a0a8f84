/**
 * The UI's words. Every string a user reads lives in a message catalog, one per feature
 * (`src/lib/features/<x>/messages/{zh-CN,en}.json`, and `src/lib/core/messages/` for words every
 * feature shares), compiled by Paraglide into `src/lib/paraglide` (`npm run check`, the test command,
 * `vite dev` and `vite build` compile it; see project.inlang/settings.json). Keys are the feature's
 * name and an English gist in snake case: `map_legend_no_data`.
 *
 * The language is always explicit: a page knows it from its data (`lang`), server code from the
 * request (`say()` in server/say.ts). `words(lang)` is the catalog in that language:
 * `words('en').map_legend()`, `w.core_no_grid({ code: '0101' })`.
 */
import { m } from '../paraglide/messages.js';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

type Catalog = typeof m;
/** A message's name in the catalogs. */
export type MessageKey = keyof Catalog;
type InputsOf<F> = F extends (inputs: infer I, ...rest: never[]) => unknown ? I : never;
type Said<F> =
	Record<string, never> extends InputsOf<F>
		? (inputs?: InputsOf<F>) => string
		: (inputs: InputsOf<F>) => string;
/** The catalog in one language: each message a function of its inputs. */
export type Words = { readonly [K in MessageKey]: Said<Catalog[K]> };
/** One text in both languages, for data sent to the browser whole (a label, a definition). */
export type Bilingual = { 'zh-CN': string; en: string };

const catalogs = new Map<Lang, Words>();

/** The catalog in `lang`, made once per language. */
export function words(lang: Lang): Words {
	let said = catalogs.get(lang);
	if (!said) {
		const bound: Record<string, (inputs?: object) => string> = {};
		for (const [key, message] of Object.entries(m) as [
			string,
			(inputs: object, options: { locale: Lang }) => string
		][])
			bound[key] = (inputs = {}) => message(inputs, { locale: lang });
		said = bound as unknown as Words;
		catalogs.set(lang, said);
	}
	return said;
}

/** One message in both languages (for data objects that carry a `{ 'zh-CN', en }` label). */
export function both<K extends MessageKey>(key: K, ...inputs: Parameters<Words[K]>): Bilingual {
	const said = (lang: Lang) => (words(lang)[key] as (i?: unknown) => string)(inputs[0]);
	return { 'zh-CN': said('zh-CN'), en: said('en') };
}
