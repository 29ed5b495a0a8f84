import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	AUDIT_ACTIONS,
	auditActionWords,
	auditDetailWords,
	auditTargetWords,
	hasDetailWords
} from '../../src/lib/features/admin/model/audit-words';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
	});
}

/** Every action code the server writes to the audit log, read from the source. */
function auditedActions(): string[] {
	const found = new Set<string>();
	for (const file of sourceFiles(SRC)) {
		const text = readFileSync(file, 'utf8');
		if (
			!text.includes('writeAudit') &&
			!file.endsWith('retention.ts') &&
			!file.endsWith('admin/users/+page.server.ts')
		)
			continue;
		// Audit actions are dotted codes (gap events' own actions, 'assign' etc., are not audit rows), or sign-in/out.
		for (const m of text.matchAll(/action: '([a-z_]+\.[a-z_.]+|signin|signout)'/g)) found.add(m[1]);
		for (const m of text.matchAll(/'((?:user|retention|shift)\.[a-z_]+)'/g)) found.add(m[1]);
		if (text.includes('action: `gap.${act.action}`'))
			for (const a of ['acknowledge', 'assign', 'resolve', 'reopen']) found.add(`gap.${a}`);
	}
	return [...found].sort();
}

describe('the audit log in words', () => {
	it('every action the server audits has words in both languages', () => {
		const actions = auditedActions();
		expect(actions.length).toBeGreaterThan(20);
		expect(actions.filter((a) => !AUDIT_ACTIONS[a])).toEqual([]);
		for (const a of actions) {
			expect(auditActionWords(a, 'zh-CN')).toMatch(/\p{Script=Han}/u);
			expect(auditActionWords(a, 'en')).not.toMatch(/\p{Script=Han}|[a-z]\.[a-z]/u);
		}
	});

	it('details read as words, not JSON', () => {
		const screening = {
			screeningId: 12,
			grid: '0502',
			method: 'door',
			result: 'fever',
			day: '2020-02-28'
		};
		expect(auditDetailWords(screening, 'zh-CN')).toBe(
			'排查记录：12 · 网格：0502 · 方式：入户 · 结果：发热 · 日期：2020-02-28'
		);
		expect(auditDetailWords(screening, 'en')).toBe(
			'screening: 12 · grid: 0502 · method: door to door · result: fever · day: 2020-02-28'
		);
		expect(auditDetailWords({ personIds: [1, 2, 3, 4, 5] }, 'en')).toBe('persons: 5 items');
		expect(auditDetailWords({ people: 1200, shifts: 3, grids: 2, gapsClosed: 0 }, 'zh-CN')).toBe(
			'人数：1,200 · 班次：3 · 网格数：2 · 关闭缺口：0'
		);
		expect(auditDetailWords({}, 'en')).toBe('');
		expect(auditTargetWords('wall_token', '东门大屏', 'zh-CN')).toBe('大屏链接 东门大屏');
		for (const key of [
			'screeningId',
			'grid',
			'method',
			'result',
			'day',
			'rule',
			'status',
			'staffId',
			'note',
			'gapsClosed',
			'personIds',
			'households',
			'format',
			'metric',
			'level',
			'compare',
			'rows',
			'role',
			'username',
			'areas',
			'suppressBelow',
			'people',
			'shifts',
			'grids'
		]) {
			expect(hasDetailWords(key), key).toBe(true);
		}
	});
});
