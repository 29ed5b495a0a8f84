import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { beijingDay } from '$lib/core/time';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { actOnGap, GapActionError, getGap, type GapAction } from '$lib/server/gaps';
import * as v from 'valibot';
import { isNoteText } from '$lib/domain/text';
import { badField, because, checkFields, idField, oneOf, readBody } from '$lib/server/http';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

function parseId(raw: string): number {
	const id = Number(raw);
	if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
		error(400, {
			message: say(
				`事项编号无效：应为正整数，收到 "${raw.slice(0, 20)}"`,
				`Invalid item id: expected a positive whole number, got "${raw.slice(0, 20)}"`
			),
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
			message: say(`没有编号为 ${id} 的事项，或不在您的范围内`, `No item ${id} in your scope`),
			code: 'not_found'
		});
	return json(item);
};

const NOTE_MAX = 500;
const noteReason = because(
	`应为不超过 ${NOTE_MAX} 字的文字，不含控制字符`,
	`expected text of at most ${NOTE_MAX} characters, no control characters`
);
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
	action: oneOf(
		['acknowledge', 'assign', 'resolve', 'reopen'],
		'应为 acknowledge、assign、resolve 或 reopen 之一',
		'expected one of acknowledge, assign, resolve, reopen'
	)
});
const AssignBody = v.object({
	staffId: idField(
		because('应为工作人员编号（正整数）', 'expected a staff id (a positive whole number)')
	)
});

/**
 * POST /api/gaps/ID {action: acknowledge | assign | resolve | reopen, staffId?, note?}: records
 * what the caller did with an item in their scope; audited, and pushed to open maps and walls.
 */
export const POST: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
	const id = parseId(params.id);
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say('请先登录', 'Sign in first'), code: 'unauthenticated' });
	if (scope.personScope === 'none')
		error(403, {
			message: say(
				'您的角色只能查看，不能处置事项',
				'Your role can view items but not act on them'
			),
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
			if (!note)
				badField(
					'note',
					'处置时须填写处置说明',
					'a note saying what was done is required to resolve'
				);
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
			error(e.status, {
				message: say(
					`${e.field ? `字段 ${e.field} 无效：` : ''}${e.zh}`,
					`${e.field ? `Invalid field ${e.field}: ` : ''}${e.en}`
				),
				code: e.status === 404 ? 'not_found' : e.status === 409 ? 'conflict' : 'bad_field'
			});
		}
		throw e;
	}
};
