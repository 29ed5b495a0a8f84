import { AsyncLocalStorage } from 'node:async_hooks';
import { words, type Lang, type Words } from '../core/i18n';

/**
 * The language of the request being answered, so that a message made deep in server code is
 * said in the user's language only (never "中文 / English" joined). The hook runs every request
 * inside `speaking(lang, …)`; outside a request (CLI, tests) it is Chinese, the default.
 */
const requestLanguage = new AsyncLocalStorage<Lang>();

export function speaking<T>(lang: Lang, run: () => T): T {
	return requestLanguage.run(lang, run);
}

export function currentLang(): Lang {
	return requestLanguage.getStore() ?? 'zh-CN';
}

/** The catalog in the request's language: `say().core_sign_in_first()`. */
export function say(): Words {
	return words(currentLang());
}
