import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { getGap, gapRecords } from '$lib/features/gaps/server/gaps.server';
import type { RequestHandler } from './$types';
import type { GapRecordsAnswer } from '$lib/features/gaps/contract';
import { say } from '$lib/server/say';

/**
 * GET /api/gaps/ID/records → the records behind an item (returnees, households, tasks — masked),
 * for the roles that see people, within their scope. Every read is audited with the record ids.
 */
export const GET: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const raw = params.id;
	const id = Number(raw);
	if (!/^\d{1,9}$/.test(raw) || id <= 0)
		error(400, {
			message: say().gaps_item_id_invalid_plain(),
			code: 'bad_parameter'
		});
	const scope = requireScope(locals);
	const user = locals.user!;
	const db = await getDb();
	const clock = await now(db);
	const found = await withScope(db, scope, async (tx) => {
		const item = await getGap(tx, id, locals.lang, clock, true);
		if (!item) return null;
		const records = await gapRecords(tx, item);
		if (records.persons.length + records.households.length > 0) {
			await writeAudit(tx, {
				subdistrictId: scope.subdistrictId,
				actorUserId: user.id,
				actor: user.username,
				action: 'person.read',
				targetKind: 'gap',
				targetId: String(id),
				detail: {
					personIds: records.persons.map((p) => p.id),
					households: records.households.map((h) => h.code)
				},
				address: getClientAddress()
			});
		}
		const answer: GapRecordsAnswer = {
			item: { id: item.id, rule: item.rule, message: item.message },
			...records
		};
		return answer;
	});
	if (!found)
		error(404, {
			message: say().gaps_item_not_found({ id }),
			code: 'not_found'
		});
	return json(found);
};
