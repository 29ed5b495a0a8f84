import type { Cookies } from '@sveltejs/kit';

/** `__Host-` prefix over HTTPS (the browser then insists on Secure, Path=/ and no Domain). */
export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-gw_session' : 'gw_session';
}

export function setSessionCookie(
	cookies: Cookies,
	url: URL,
	token: string,
	maxAgeSeconds: number
): void {
	cookies.set(sessionCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: Math.floor(maxAgeSeconds)
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}
