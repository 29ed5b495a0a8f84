import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	createWallToken,
	listWallTokens,
	revokeWallToken
} from '$lib/features/auth/server/wall.server';
import { writeAudit } from '$lib/server/audit';
import { readForm, formText } from '$lib/server/forms';
import { isPlainText } from '$lib/domain/text';
import type { Actions, PageServerLoad } from './$types';
import { say } from '$lib/server/say';

export const load: PageServerLoad = async ({ locals }) => ({
	lang: locals.lang,
	tokens: await listWallTokens(await getDb(), locals.user!.subdistrictId)
});

export const actions: Actions = {
	create: async ({ request, locals, url, getClientAddress }) => {
		const form = await readForm(request);
		const label = formText(form, 'label').trim();
		const rawK = (formText(form, 'suppressBelow') || '0').trim();
		const k = Number(rawK);
		// Sent back with a refusal so the form shows what was typed (without control characters).
		const typed = {
			label: label.replace(/\p{Cc}/gu, '').slice(0, 200),
			suppressBelow: rawK.slice(0, 20)
		};
		if (!label)
			return fail(400, {
				message: say().wall_admin_name_missing(),
				field: 'label',
				typed
			});
		if (label.length > 80 || !isPlainText(label))
			return fail(400, {
				message: say().wall_admin_name_invalid(),
				field: 'label',
				typed
			});
		if (!Number.isInteger(k) || k < 0 || k > 50)
			return fail(400, {
				message: say().wall_admin_threshold_invalid({ typed: rawK.slice(0, 10) }),
				field: 'suppressBelow',
				typed
			});
		const admin = locals.user!;
		const db = await getDb();
		const token = await db.transaction(async (tx) => {
			const created = await createWallToken(tx, admin.subdistrictId, label, k, admin.id);
			await writeAudit(tx, {
				subdistrictId: admin.subdistrictId,
				actorUserId: admin.id,
				actor: admin.username,
				action: 'wall_token.create',
				targetKind: 'wall_token',
				targetId: label,
				detail: { suppressBelow: k },
				address: getClientAddress()
			});
			return created;
		});
		return {
			message: say().wall_admin_created(),
			link: `${url.origin}/wall?wall_token=${token}`
		};
	},

	revoke: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const idHash = formText(form, 'idHash');
		if (!/^[0-9a-f]{16,128}$/.test(idHash))
			return fail(404, {
				message: say().wall_admin_no_such_link(),
				field: null
			});
		const admin = locals.user!;
		const db = await getDb();
		const done = await db.transaction(async (tx) => {
			const revoked = await revokeWallToken(tx, admin.subdistrictId, idHash);
			if (revoked)
				await writeAudit(tx, {
					subdistrictId: admin.subdistrictId,
					actorUserId: admin.id,
					actor: admin.username,
					action: 'wall_token.revoke',
					targetKind: 'wall_token',
					targetId: idHash.slice(0, 12),
					address: getClientAddress()
				});
			return revoked;
		});
		if (!done)
			return fail(404, {
				message: say().wall_admin_no_such_link(),
				field: null
			});
		return { message: say().wall_admin_revoked() };
	}
};
