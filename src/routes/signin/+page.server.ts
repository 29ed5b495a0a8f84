import { fail, redirect } from '@sveltejs/kit';
import { getConfig, getDb } from '$lib/server/db';
import { signIn } from '$lib/features/auth/server/signin.server';
import { createSession } from '$lib/features/auth/server/sessions.server';
import { setSessionCookie } from '$lib/features/auth/server/cookies.server';
import { DEMO_USERS } from '$lib/features/auth/server/demo-users.server';
import { activeUser, soleGridOfLeader } from '$lib/features/auth/server/users.server';
import { writeAudit } from '$lib/server/audit';
import { ROLE_LABELS } from '$lib/features/auth/model/roles';
import { readForm, formText } from '$lib/server/forms';
import { isPlainText } from '$lib/domain/text';
import type { Actions, PageServerLoad } from './$types';
import { say } from '$lib/server/say';

/**
 * Only local paths: `next` must not send the user to another site. Resolved as a browser would
 * (which drops tabs and line breaks, so "/\t/evil.example" is "//evil.example") and kept only
 * when it stays on this origin; control characters are refused outright (they cannot go in a header).
 */
function safeNext(raw: string | null): string {
	if (!raw || !raw.startsWith('/') || /\p{Cc}/u.test(raw)) return '/';
	const base = 'http://gridwatch.invalid';
	try {
		const url = new URL(raw, base);
		// "/..//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
		if (url.origin !== base || /^[/\\]{2}/.test(url.pathname)) return '/';
		return `${url.pathname}${url.search}${url.hash}`;
	} catch {
		return '/';
	}
}

/**
 * Where a user lands when no page was asked for: a grid leader with one grid gets that grid's
 * workspace (their phone's home); everyone else the map.
 */
async function homeFor(username: string, next: string): Promise<string> {
	if (next !== '/') return next;
	const grid = await soleGridOfLeader(await getDb(), username);
	return grid ? `/grid/${grid}` : next;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	const config = getConfig();
	return {
		lang: locals.lang,
		next,
		demo: config.demoMode
			? DEMO_USERS.map((u) => ({
					username: u.username,
					displayName: u.displayName,
					role: ROLE_LABELS[u.role][locals.lang]
				}))
			: null
	};
};

export const actions: Actions = {
	signin: async ({ request, cookies, url, getClientAddress }) => {
		const form = await readForm(request);
		// Control characters cannot be in a username; such a name is shown without them and simply does not sign in.
		const username = formText(form, 'username').slice(0, 100).toWellFormed();
		const password = formText(form, 'password').slice(0, 200);
		const next = safeNext(formText(form, 'next') || '/');
		if (!username || !password) {
			return fail(400, {
				username,
				message: say().auth_enter_username_password(),
				field: !username ? 'username' : 'password'
			});
		}
		if (!isPlainText(username.trim()))
			return fail(400, {
				username: username.replace(/\p{Cc}/gu, ''),
				message: say().auth_wrong_credentials(),
				field: 'password'
			});
		const config = getConfig();
		const result = await signIn(
			await getDb(),
			username,
			password,
			getClientAddress(),
			config.session
		);
		if (!result.ok && result.reason === 'throttled') {
			return fail(429, {
				username,
				message: say().auth_throttled({ minutes: result.waitMinutes }),
				field: null
			});
		}
		if (!result.ok)
			return fail(400, {
				username,
				message: say().auth_wrong_credentials(),
				field: 'password'
			});
		setSessionCookie(cookies, url, result.token, config.session.absoluteHours * 3600);
		redirect(303, await homeFor(username, next));
	},

	demo: async ({ request, cookies, url, getClientAddress }) => {
		const config = getConfig();
		if (!config.demoMode)
			return fail(403, {
				username: '',
				message: say().auth_demo_only(),
				field: null
			});
		const form = await readForm(request);
		const username = formText(form, 'username');
		if (!DEMO_USERS.some((u) => u.username === username))
			return fail(400, {
				username: '',
				message: say().auth_demo_role_unknown({
					role: username.replace(/\p{Cc}/gu, '').slice(0, 40)
				}),
				field: null
			});
		const db = await getDb();
		const user = await activeUser(db, username);
		if (!user)
			return fail(400, {
				username: '',
				message: say().auth_demo_user_disabled({ username }),
				field: null
			});
		const token = await createSession(db, user.id, config.session, getClientAddress());
		await writeAudit(db, {
			subdistrictId: user.subdistrictId,
			actorUserId: user.id,
			actor: username,
			action: 'signin.demo',
			address: getClientAddress()
		});
		setSessionCookie(cookies, url, token, config.session.absoluteHours * 3600);
		redirect(303, await homeFor(username, safeNext(formText(form, 'next') || '/')));
	}
};
