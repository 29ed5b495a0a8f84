import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { listGridReturnees } from '$lib/server/queries/persons';
import { writeAudit } from '$lib/server/audit';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/**
 * GET /api/persons?grid=CODE → the grid's returnees (masked names and phones) with their
 * screening. Grid leaders and community leads get their own grids only; every read is audited.
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const code = url.searchParams.get('grid') ?? '';
	if (!/^\d{4}$/.test(code))
		error(400, {
			message: say(
				`参数 grid 无效：应为四位网格编码`,
				`Invalid parameter grid: expected a 4-digit grid code, got "${code.slice(0, 20)}"`
			),
			code: 'bad_parameter'
		});
	const scope = requireScope(locals);
	const user = locals.user!;
	const db = await getDb();
	const [grid] = await db.query<{ id: number }>(
		'SELECT id FROM grid WHERE subdistrict_id = $1 AND code = $2',
		[scope.subdistrictId, code]
	);
	if (!grid) error(404, { message: say(`没有网格 ${code}`, `No grid ${code}`), code: 'not_found' });
	if (
		scope.personScope === 'none' ||
		(scope.personScope === 'grids' && !scope.gridIds.includes(grid.id))
	) {
		error(403, {
			message: say(`网格 ${code} 不在您的范围内`, `Grid ${code} is outside your scope`),
			code: 'forbidden'
		});
	}
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
