import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { listGridReturnees } from '$lib/server/queries/persons';
import { writeAudit } from '$lib/server/audit';
import type { RequestHandler } from './$types';
import { gridForPersonLevel } from '$lib/server/queries/places';

/**
 * GET /api/persons?grid=CODE → the grid's returnees (masked names and phones) with their
 * screening. Grid leaders and community leads get their own grids only; every read is audited.
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user!;
	const db = await getDb();
	const { code } = await gridForPersonLevel(db, scope, url.searchParams.get('grid') ?? '');
	const rows = await withScope(db, scope, async (tx) => {
		const found = await listGridReturnees(tx, code);
		await writeAudit(tx, {
			subdistrictId: scope.subdistrictId,
			actorUserId: user.id,
			actor: user.username,
			action: 'person.read',
			targetKind: 'grid',
			targetId: code,
			detail: { personIds: found.map((r) => r.id) },
			address: getClientAddress()
		});
		return found;
	});
	return json({ grid: code, persons: rows });
};
