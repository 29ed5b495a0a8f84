import { withScope } from '$lib/server/db/scope';
import { writeAudit } from '$lib/server/audit';
import { listDuplicates, personsNamed } from '$lib/features/intake/server/duplicates.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PageServerLoad } from './$types';

/** 横向查重: the candidates, merges and pairs kept apart; a person-level read, audited like the API's. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const { db, scope, actor } = await intakeContext(locals, getClientAddress);
	return withScope(db, scope, async (tx) => {
		const list = await listDuplicates(tx, scope.subdistrictId);
		await writeAudit(tx, {
			subdistrictId: scope.subdistrictId,
			actorUserId: actor.id,
			actor: actor.username,
			action: 'person.read',
			targetKind: 'subdistrict',
			targetId: String(scope.subdistrictId),
			detail: { personIds: personsNamed(list) },
			address: actor.address
		});
		return { lang: locals.lang, ...list };
	});
};
