import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { parseDate, parseLevel } from '../../src/lib/server/params';
import { readConfig } from '../../src/lib/server/config';
import { speaking } from '../../src/lib/server/say';

const period = { first: '2020-01-20', last: '2020-02-28' };
const url = (query: string) => new URL(`http://x/api/areas?${query}`);

function messageOf(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (isHttpError(error)) return `${error.status} ${error.body.message}`;
		throw error;
	}
	throw new Error('expected a 400');
}

describe('query parameters', () => {
	it('defaults to grids on the last day', () => {
		expect(parseLevel(url(''))).toBe('grid');
		expect(parseDate(url(''), period)).toBe('2020-02-28');
		expect(parseDate(url('date=2020-02-01'), period)).toBe('2020-02-01');
	});

	it('rejects bad values with 400 naming the parameter and why', () => {
		expect(messageOf(() => parseLevel(url('level=street')))).toMatch(
			/^400 参数 level 无效.*street/
		);
		expect(messageOf(() => parseDate(url('date=28/02/2020'), period))).toMatch(
			/^400 参数 date 无效.*YYYY-MM-DD/
		);
		expect(messageOf(() => parseDate(url('date=2020-02-30'), period))).toContain(
			'2020-02-30 不是有效日期'
		);
		// In the request's language only: English for a user who chose it, never both joined.
		const english = speaking('en', () =>
			messageOf(() => parseDate(url('date=2020-02-30'), period))
		);
		expect(english).toBe('400 Invalid parameter date: 2020-02-30 is not a calendar date');
		expect(messageOf(() => parseDate(url('date=2020-03-01'), period))).toContain(
			'超出数据期间 2020-01-20 至 2020-02-28'
		);
	});
});

describe('configuration', () => {
	it('uses the embedded database with the demo when DATABASE_URL is unset', () => {
		const config = readConfig({});
		expect(config.databaseUrl).toBeNull();
		expect(config.loadDemoOnFirstStart).toBe(true);
		expect(config.dataDir).toMatch(/data\/pglite$/);
	});

	it('fails fast on a malformed DATABASE_URL or GRIDWATCH_DEMO', () => {
		expect(() => readConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL is malformed/);
		expect(() => readConfig({ DATABASE_URL: 'mysql://x@y/z' })).toThrow(/scheme must be postgres/);
		expect(() => readConfig({ GRIDWATCH_DEMO: 'yes' })).toThrow(/GRIDWATCH_DEMO must be 0 or 1/);
		expect(readConfig({ DATABASE_URL: 'postgres://u@h/db' })).toMatchObject({
			loadDemoOnFirstStart: false,
			demoMode: false
		});
		expect(readConfig({ DATABASE_URL: 'postgres://u@h/db', GRIDWATCH_DEMO: '1' })).toMatchObject({
			loadDemoOnFirstStart: true,
			demoMode: true
		});
	});

	it('reads LOG_LEVEL, info by default, and refuses a level it does not know', () => {
		expect(readConfig({}).logLevel).toBe('info');
		expect(readConfig({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
		expect(() => readConfig({ LOG_LEVEL: 'verbose' })).toThrow(
			/LOG_LEVEL must be one of debug, info, warn, error, silent, not "verbose"/
		);
	});
});
