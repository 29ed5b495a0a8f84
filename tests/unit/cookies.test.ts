import { describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import {
	sessionCookieName,
	setSessionCookie
} from '../../src/lib/features/auth/server/cookies.server';

function recorder() {
	const set: { name: string; value: string; options: Record<string, unknown> }[] = [];
	const cookies = {
		set: (name: string, value: string, options: Record<string, unknown>) =>
			set.push({ name, value, options })
	} as unknown as Cookies;
	return { cookies, set };
}

describe('session cookie', () => {
	it('over HTTPS: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/', () => {
		const { cookies, set } = recorder();
		setSessionCookie(cookies, new URL('https://grid.example/'), 'token', 3600);
		expect(set).toEqual([
			{
				name: '__Host-gw_session',
				value: 'token',
				options: { path: '/', httpOnly: true, sameSite: 'lax', secure: true, maxAge: 3600 }
			}
		]);
	});

	it('over plain HTTP (localhost, intranet without TLS): no prefix, not Secure', () => {
		expect(sessionCookieName(new URL('http://localhost:3000/'))).toBe('gw_session');
		const { cookies, set } = recorder();
		setSessionCookie(cookies, new URL('http://localhost:3000/'), 'token', 60);
		expect(set[0].options.secure).toBe(false);
	});
});
