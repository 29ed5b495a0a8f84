import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import {
	actOnGap,
	GapActionError,
	getGap,
	type GapAction
} from '$lib/features/gaps/server/gaps.server';
import * as v from 'valibot';
import { isNoteText } from '$lib/domain/text';
import { badField, checkFields, idField, readBody } from '$lib/server/http';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

function parseId(raw: string): number {
	const id = Number(raw);
	if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
		error(400, {
			message: say().gaps_item_id_invalid({ got: raw.slice(0, 20) }),
			code: 'bad_parameter'
		});
	}
	return id;
}

/** GET /api/gaps/ID → the item with its history (who did what, when), within the caller's scope. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const id = parseId(params.id);
	const scope = requireScope(locals);
	const db = await getDb();
	const clock = await now(db);
	const item = await withScope(db, scope, (tx) =>
		getGap(tx, id, locals.lang, clock, scope.personScope !== 'none')
	);
	if (!item)
		error(404, {
			message: say().gaps_item_not_found({ id }),
			code: 'not_found'
		});
	return json(item);
};

const NOTE_MAX = 500;
const noteReason = () => say().gaps_note_invalid({ max: NOTE_MAX });
// Loose: the fields an action needs (staffId for assign) are checked by that action.
const GapActionBody = v.looseObject({
	note: v.nullish(
		v.pipe(
			v.string(noteReason),
			v.maxLength(NOTE_MAX, noteReason),
			v.check(isNoteText, noteReason)
		),
		null
	),
	action: v.picklist(['acknowledge', 'assign', 'resolve', 'reopen'], () =>
		say().gaps_action_invalid()
	)
});
const AssignBody = v.object({
	staffId: idField(() => say().gaps_staff_id_invalid())
});

/**
 * POST /api/gaps/ID {action: acknowledge | assign | resolve | reopen, staffId?, note?}: records
 * what the caller did with an item in their scope; audited, and pushed to open maps and walls.
 */
export const POST: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
	const id = parseId(params.id);
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	if (scope.personScope === 'none')
		error(403, {
			message: say().gaps_role_cannot_act(),
			code: 'forbidden'
		});
	const raw = await readBody(request, GapActionBody);
	const note = raw.note === null ? null : raw.note.trim();
	let act: GapAction;
	switch (raw.action) {
		case 'acknowledge':
			act = { action: 'acknowledge' };
			break;
		case 'assign':
			act = { action: 'assign', staffId: checkFields(AssignBody, raw).staffId };
			break;
		case 'resolve':
			if (!note) {
				const reason = say().gaps_note_required();
				badField('note', reason);
			}
			act = { action: 'resolve', note };
			break;
		case 'reopen':
			act = { action: 'reopen', note: note || null };
			break;
	}
	const db = await getDb();
	const clock = await now(db);
	try {
		const result = await withScope(db, scope, async (tx) => {
			const done = await actOnGap(tx, id, act, user.id, clock);
			await writeAudit(tx, {
				subdistrictId: scope.subdistrictId,
				actorUserId: user.id,
				actor: user.username,
				action: `gap.${act.action}`,
				targetKind: 'gap',
				targetId: String(id),
				detail: {
					rule: done.rule,
					grid: done.gridCode,
					status: done.status,
					...('staffId' in act ? { staffId: act.staffId } : {}),
					...('note' in act && act.note ? { noted: true } : {})
				},
				address: getClientAddress()
			});
			return done;
		});
		const today = beijingDay(clock);
		await db.notify(
			'gridwatch_changes',
			JSON.stringify({
				subdistrict: scope.subdistrictId,
				gaps: true,
				from: today,
				to: today,
				...(result.gridCode ? { grids: [result.gridCode] } : {})
			})
		);
		const item = await withScope(db, scope, (tx) =>
			getGap(tx, id, locals.lang, clock, scope.personScope !== 'none')
		);
		return json({ ...item, status: result.status });
	} catch (e) {
		if (e instanceof GapActionError) {
			// A refused field (always a 400) is worded as every route's: 字段 x 无效：… / Invalid field x: ….
			if (e.field) badField(e.field, e.message);
			error(e.status, {
				message: e.message,
				code: e.status === 404 ? 'not_found' : e.status === 409 ? 'conflict' : 'bad_field'
			});
		}
		throw e;
	}
};
