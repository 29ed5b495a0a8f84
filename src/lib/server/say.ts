import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lang } from '../i18n';

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

/** One message in the request's language. */
export function say(zh: string, en: string): string {
	return currentLang() === 'en' ? en : zh;
}
