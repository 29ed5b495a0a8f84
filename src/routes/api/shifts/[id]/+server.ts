import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { getDataPeriod } from '$lib/server/queries/areas';
import { loadGapSettings, syncGaps } from '$lib/features/gaps/server/gaps.server';
import { setCheckedIn } from '$lib/features/shifts/server/shifts.server';
import { refreshAfterWrite } from '$lib/server/rollup';
import type { RequestHandler } from './$types';
import type { ArrivalAnswer } from '$lib/features/shifts/contract';
import { say } from '$lib/server/say';
import * as v from 'valibot';
import { readBody } from '$lib/server/http';

const ArrivalBody = v.object({
	checkedIn: v.boolean(() => say().shifts_expected_boolean())
});

/**
 * POST /api/shifts/ID {checkedIn: true|false}: the person of this shift has arrived (or has not,
 * to undo a mistaken tap). From 30 minutes before the shift starts until it ends; within the
 * caller's grids (row-level security). The grid's figures and gaps are brought up to date at once
 * and open maps and walls are told. Audited. A tap that changes nothing (`changed: false`) writes nothing.
 */
export const POST: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
	const raw = params.id;
	const id = Number(raw);
	if (!/^\d{1,9}$/.test(raw) || id <= 0)
		error(400, {
			message: say().shifts_id_invalid({ got: raw.slice(0, 20) }),
			code: 'bad_parameter'
		});
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	if (scope.personScope === 'none')
		error(403, {
			message: say().shifts_role_cannot_check_in(),
			code: 'forbidden'
		});
	const { checkedIn } = await readBody(request, ArrivalBody);
	const db = await getDb();
	const clock = await now(db);
	const settings = await loadGapSettings(db);
	const period = await getDataPeriod(db);
	const result = await withScope(db, scope, async (tx) => {
		const done = await setCheckedIn(tx, id, checkedIn, clock);
		if (!done.ok || !done.changed) return { ...done, gapsClosed: 0 };
		// The day's staffing figures (not cumulative: that day only), then the grid's gaps.
		if (period)
			await refreshAfterWrite(
				tx,
				scope.subdistrictId,
				period,
				done.day,
				done.gridCode,
				false,
				clock
			);
		const gaps = await syncGaps(tx, scope.subdistrictId, clock, { gridId: done.gridId, settings });
		await writeAudit(tx, {
			subdistrictId: scope.subdistrictId,
			actorUserId: user.id,
			actor: user.username,
			action: checkedIn ? 'shift.check_in' : 'shift.check_in_undo',
			targetKind: 'shift',
			targetId: String(id),
			detail: { grid: done.gridCode, day: done.day, gapsClosed: gaps.closed },
			address: getClientAddress()
		});
		return { ...done, gapsClosed: gaps.closed };
	});
	if (!result.ok)
		error(result.status, {
			message: result.message,
			code: result.status === 404 ? 'not_found' : 'conflict'
		});
	const answer: ArrivalAnswer = {
		shiftId: result.shiftId,
		grid: result.gridCode,
		checkedIn: result.checkedIn,
		changed: result.changed,
		gapsClosed: result.gapsClosed
	};
	return json(answer);
};
