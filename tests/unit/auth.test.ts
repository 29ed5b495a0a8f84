import { describe, expect, it } from 'vitest';
import {
	hashPassword,
	passwordProblem,
	verifyPassword
} from '../../src/lib/features/auth/server/password.server';
import { maskName, maskPhone } from '../../src/lib/domain/masking';
import { accessFor, allowed } from '../../src/lib/features/auth/server/guard.server';

describe('passwords', () => {
	it('hash with a per-user salt and verify', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(a).not.toBe(b);
		expect(await verifyPassword('correct horse battery', a)).toBe(true);
		expect(await verifyPassword('correct horse batterx', a)).toBe(false);
		expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
	});

	it('asks for at least 10 characters', () => {
		expect(passwordProblem('short')).toMatch(/10/);
		expect(passwordProblem('long enough pass')).toBeNull();
	});
});

describe('masking', () => {
	it('masks names and phones for display', () => {
		expect(maskName('张三')).toBe('张*');
		expect(maskName('张小三')).toBe('张*三');
		expect(maskName('欧阳小明')).toBe('欧**明');
		expect(maskPhone('13812341234')).toBe('138****1234');
		expect(maskPhone('138-1234-1234')).toBe('138****1234');
	});
});

describe('route guard', () => {
	it('denies unlisted routes to all but administrators, and person-level routes to aggregate roles', () => {
		expect(accessFor('/somewhere/new')).toBe('admin');
		expect(allowed('admin', 'leader')).toBe(false);
		expect(allowed(accessFor('/api/persons'), 'planner')).toBe(false);
		expect(allowed(accessFor('/api/persons'), 'grid_leader')).toBe(true);
		expect(allowed(accessFor('/'), null)).toBe(false);
		expect(allowed(accessFor('/signin'), null)).toBe(true);
	});
});
