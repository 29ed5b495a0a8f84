import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	createUser,
	listUsers,
	roleOfUser,
	setUserDisabled,
	setUserPasswordHash,
	setUserScope,
	UnknownAreaCodes
} from '$lib/features/auth/server/users.server';
import { hashPassword, passwordProblem } from '$lib/features/auth/server/password.server';
import { revokeUserSessions } from '$lib/features/auth/server/sessions.server';
import { writeAudit } from '$lib/server/audit';
import { isPlainText } from '$lib/domain/text';
import { isRole, ROLES, ROLE_LABELS, scopeKind, type Role } from '$lib/features/auth/model/roles';
import { readForm, formId, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { say } from '$lib/server/say';

export const load: PageServerLoad = async ({ locals }) => {
	const db = await getDb();
	const user = locals.user!;
	return {
		lang: locals.lang,
		users: await listUsers(db, user.subdistrictId),
		roles: ROLES.map((r) => ({ id: r, label: ROLE_LABELS[r][locals.lang], scope: scopeKind(r) }))
	};
};

const codesOf = (raw: FormDataEntryValue | null) =>
	(typeof raw === 'string' ? raw : '')
		.split(/[\s,，、]+/)
		.map((c) => c.trim())
		.filter(Boolean);

/** What app_user's username check allows. */
const USERNAME = /^[a-z0-9_.-]{3,40}$/;
/** Said when asked (in the request's language), not once at start-up. */
const usernameRule = () => say().admin_username_rule();

/** Grid codes are 4 digits and community codes 12; anything else is named before it reaches the database. */
function badAreaCode(codes: string[]): string | null {
	const bad = codes.find((code) => !/^(\d{4}|\d{12})$/.test(code));
	if (bad === undefined) return null;
	const shown = bad.replace(/\p{Cc}/gu, '?').slice(0, 20);
	return say().admin_bad_area_code({ code: shown });
}

const noSuchUser = () => ({ message: say().admin_no_such_user(), field: null });
/** Thrown inside a change when its user is not in the administrator's subdistrict: nothing is written, 404. */
class NoSuchUser extends Error {}

/** Runs an admin change in one transaction with its audit entry; a thrown Error becomes a form error. */
async function change(
	locals: App.Locals,
	address: string,
	action: string,
	targetId: string,
	detail: Record<string, unknown>,
	work: (tx: import('$lib/server/db/types').Queryable) => Promise<void>
) {
	const db = await getDb();
	const admin = locals.user!;
	try {
		await db.transaction(async (tx) => {
			await work(tx);
			await writeAudit(tx, {
				subdistrictId: admin.subdistrictId,
				actorUserId: admin.id,
				actor: admin.username,
				action,
				targetKind: 'user',
				targetId,
				detail,
				address
			});
		});
		return null;
	} catch (error) {
		if (error instanceof NoSuchUser) return fail(404, noSuchUser());
		const message = error instanceof Error ? error.message : String(error);
		if (/duplicate key|unique/i.test(message))
			return fail(400, {
				message: say().admin_username_taken(),
				field: 'username'
			});
		if (/username_check|app_user_username_check/.test(message))
			return fail(400, { message: usernameRule(), field: 'username' });
		if (error instanceof UnknownAreaCodes) return fail(400, { message, field: 'areas' });
		// Anything else is the server's fault: a 500 with an id to quote, not the database's text as a form error.
		throw error;
	}
}

export const actions: Actions = {
	create: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const username = formText(form, 'username').trim().toLowerCase();
		const displayName = formText(form, 'displayName').trim();
		const role = formText(form, 'role');
		const password = formText(form, 'password');
		const areas = codesOf(form.get('areas'));
		if (!username)
			return fail(400, { message: say().admin_username_required(), field: 'username' });
		if (!USERNAME.test(username)) return fail(400, { message: usernameRule(), field: 'username' });
		if (!displayName)
			return fail(400, {
				message: say().admin_display_name_required(),
				field: 'displayName'
			});
		if (displayName.length > 80 || !isPlainText(displayName))
			return fail(400, {
				message: say().admin_display_name_invalid(),
				field: 'displayName'
			});
		const badCode = badAreaCode(areas);
		if (badCode !== null) return fail(400, { message: badCode, field: 'areas' });
		if (!isRole(role))
			return fail(400, {
				message: say().admin_role_unknown({ role: role.slice(0, 30) }),
				field: 'role'
			});
		const problem = passwordProblem(password);
		if (problem) return fail(400, { message: problem, field: 'password' });
		const kind = scopeKind(role);
		if ((kind === 'grids' || kind === 'communities') && areas.length === 0) {
			return fail(400, {
				message: say().admin_scope_required(),
				field: 'areas'
			});
		}
		return (
			(await change(
				locals,
				getClientAddress(),
				'user.create',
				username,
				{ role, areas },
				async (tx) => {
					await createUser(tx, {
						subdistrictId: locals.user!.subdistrictId,
						username,
						displayName,
						role: role as Role,
						password,
						areaCodes: areas
					});
				}
			)) ?? { message: say().admin_user_created({ username }) }
		);
	},

	toggle: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const id = formId(form, 'id');
		if (id === null) return fail(404, noSuchUser());
		const disable = form.get('disable') === '1';
		if (id === locals.user!.id && disable)
			return fail(400, {
				message: say().admin_cannot_disable_self(),
				field: null
			});
		return (
			(await change(
				locals,
				getClientAddress(),
				disable ? 'user.disable' : 'user.enable',
				String(id),
				{},
				async (tx) => {
					if (!(await setUserDisabled(tx, locals.user!.subdistrictId, id, disable)))
						throw new NoSuchUser();
					if (disable) await revokeUserSessions(tx, id);
				}
			)) ?? { message: disable ? say().admin_disabled_done() : say().admin_enabled_done() }
		);
	},

	rescope: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const id = formId(form, 'id');
		if (id === null) return fail(404, noSuchUser());
		const areas = codesOf(form.get('areas'));
		const badCode = badAreaCode(areas);
		if (badCode !== null) return fail(400, { message: badCode, field: 'areas' });
		const db = await getDb();
		const role = await roleOfUser(db, locals.user!.subdistrictId, id);
		if (role === undefined || !isRole(role)) return fail(404, noSuchUser());
		return (
			(await change(
				locals,
				getClientAddress(),
				'user.rescope',
				String(id),
				{ areas },
				async (tx) => {
					await setUserScope(tx, id, locals.user!.subdistrictId, role, areas);
				}
			)) ?? { message: say().admin_scope_updated() }
		);
	},

	reset: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const id = formId(form, 'id');
		if (id === null) return fail(404, noSuchUser());
		const password = formText(form, 'password');
		const problem = passwordProblem(password);
		if (problem) return fail(400, { message: problem, field: 'password' });
		const hash = await hashPassword(password);
		return (
			(await change(
				locals,
				getClientAddress(),
				'user.password_reset',
				String(id),
				{},
				async (tx) => {
					if (!(await setUserPasswordHash(tx, locals.user!.subdistrictId, id, hash)))
						throw new NoSuchUser();
					await revokeUserSessions(tx, id);
				}
			)) ?? { message: say().admin_password_reset_done() }
		);
	}
};
