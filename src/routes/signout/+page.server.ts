import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { revokeSession } from '$lib/features/auth/server/sessions.server';
import { clearSessionCookie, sessionCookieName } from '$lib/features/auth/server/cookies.server';
import { writeAudit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url, locals, getClientAddress }) => {
		const token = cookies.get(sessionCookieName(url));
		const db = await getDb();
		if (token) await revokeSession(db, token);
		if (locals.user) {
			await writeAudit(db, {
				subdistrictId: locals.user.subdistrictId,
				actorUserId: locals.user.id,
				actor: locals.user.username,
				action: 'signout',
				address: getClientAddress()
			});
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/signin');
	}
};
