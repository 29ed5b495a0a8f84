import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { writeAudit } from '$lib/server/audit';
import { formText, readForm } from '$lib/server/forms';
import { getDataPeriod } from '$lib/server/queries/areas';
import {
	changeKeyArea,
	cleanOrigin,
	listKeyAreas
} from '$lib/features/capture/server/key-areas.server';
import { say } from '$lib/server/say';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	lang: locals.lang,
	keyAreas: await listKeyAreas(await getDb(), locals.user!.subdistrictId)
});

/** Adds or removes a key area, re-flags the persons, rebuilds the figures, audits it; all or nothing. */
async function change(
	locals: App.Locals,
	address: string,
	what: { add: string } | { remove: string }
) {
	const admin = locals.user!;
	const db = await getDb();
	const clock = await now(db);
	const period = await getDataPeriod(db);
	const origin = 'add' in what ? what.add : what.remove;
	const result = await db.transaction(async (tx) => {
		const done = await changeKeyArea(tx, admin.subdistrictId, what, period, clock);
		if (done.changed)
			await writeAudit(tx, {
				subdistrictId: admin.subdistrictId,
				actorUserId: admin.id,
				actor: admin.username,
				action: 'add' in what ? 'key_area.add' : 'key_area.remove',
				targetKind: 'key_area',
				targetId: origin,
				detail: { reflagged: done.reflagged },
				address
			});
		return done;
	});
	// The rollup's refresh told open maps and walls (NOTIFY in refresh_grid_day).
	const w = say();
	return {
		message: !result.changed
			? w.capture_key_area_unchanged({ origin })
			: 'add' in what
				? w.capture_key_area_added({ origin, count: String(result.reflagged) })
				: w.capture_key_area_removed({ origin, count: String(result.reflagged) })
	};
}

export const actions: Actions = {
	add: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const typed = formText(form, 'origin');
		const origin = cleanOrigin(typed);
		if (origin === null) return fail(400, { message: say().capture_key_area_invalid(), typed });
		return change(locals, getClientAddress(), { add: origin });
	},
	remove: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const origin = cleanOrigin(formText(form, 'origin'));
		if (origin === null) return fail(400, { message: say().capture_key_area_invalid() });
		return change(locals, getClientAddress(), { remove: origin });
	}
};
