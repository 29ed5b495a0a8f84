import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

const KINDS: Record<string, { 'zh-CN': string; en: string }> = {
	cadre: { 'zh-CN': '干部', en: 'cadre' },
	social_worker: { 'zh-CN': '社工', en: 'social worker' },
	property: { 'zh-CN': '物业', en: 'property staff' },
	volunteer: { 'zh-CN': '志愿者', en: 'volunteer' },
	party_member: { 'zh-CN': '党员', en: 'party member' }
};

/**
 * GET /api/staff?grid=CODE → the staff of a grid in the caller's scope (masked names), to assign
 * gap items to. Row-level security returns nobody outside the scope.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const code = url.searchParams.get('grid') ?? '';
	if (!/^\d{4}$/.test(code))
		error(400, {
			message: say(
				`参数 grid 无效：应为四位网格编码，收到 "${code.slice(0, 20)}"`,
				`Invalid parameter grid: expected a 4-digit grid code, got "${code.slice(0, 20)}"`
			),
			code: 'bad_parameter'
		});
	const scope = requireScope(locals);
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
	const staff = await withScope(db, scope, (tx) =>
		tx.query<{ id: number; code: string; name: string; kind: string }>(
			`SELECT s.id, s.code, s.name_masked AS name, s.kind FROM staff s JOIN grid g ON g.id = s.grid_id WHERE g.code = $1 ORDER BY s.kind, s.code`,
			[code]
		)
	);
	return json({
		grid: code,
		staff: staff.map((s) => ({ ...s, kindLabel: KINDS[s.kind]?.[locals.lang] ?? s.kind }))
	});
};
