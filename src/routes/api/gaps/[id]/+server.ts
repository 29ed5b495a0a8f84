import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { beijingDay, now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { actOnGap, GapActionError, getGap, type GapAction } from '$lib/server/gaps';
import { isNoteText } from '$lib/domain/text';
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

function bad(field: string, zh: string, en: string): never {
	error(400, {
		message: say(`字段 ${field} 无效：${zh}`, `Invalid field ${field}: ${en}`),
		code: 'bad_field'
	});
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
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		error(400, {
			message: say('请求体应为 JSON', 'The request body must be JSON'),
			code: 'bad_body'
		});
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		error(400, {
			message: say('请求体应为 JSON 对象', 'The request body must be a JSON object'),
			code: 'bad_body'
		});
	const note = body.note === undefined || body.note === null ? null : body.note;
	if (note !== null && (typeof note !== 'string' || note.length > NOTE_MAX || !isNoteText(note)))
		bad(
			'note',
			`应为不超过 ${NOTE_MAX} 字的文字，不含控制字符`,
			`expected text of at most ${NOTE_MAX} characters, no control characters`
		);
	const trimmed = typeof note === 'string' ? note.trim() : null;
	let act: GapAction;
	switch (body.action) {
		case 'acknowledge':
			act = { action: 'acknowledge' };
			break;
		case 'assign': {
			const staffId = body.staffId;
			if (
				typeof staffId !== 'number' ||
				!Number.isInteger(staffId) ||
				staffId <= 0 ||
				staffId > 2_147_483_647
			)
				bad(
					'staffId',
					'应为工作人员编号（正整数）',
					'expected a staff id (a positive whole number)'
				);
			act = { action: 'assign', staffId };
			break;
		}
		case 'resolve':
			if (!trimmed)
				bad('note', '处置时须填写处置说明', 'a note saying what was done is required to resolve');
			act = { action: 'resolve', note: trimmed };
			break;
		case 'reopen':
			act = { action: 'reopen', note: trimmed || null };
			break;
		default:
			bad(
				'action',
				'应为 acknowledge、assign、resolve 或 reopen 之一',
				'expected one of acknowledge, assign, resolve, reopen'
			);
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
