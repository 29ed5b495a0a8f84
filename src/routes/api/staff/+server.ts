import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import type { RequestHandler } from './$types';
import type { StaffList } from '$lib/features/gaps/contract';
import { gridForPersonLevel } from '$lib/server/queries/places';
import { listGridStaff } from '$lib/server/queries/persons';

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
	const scope = requireScope(locals);
	const db = await getDb();
	const { code } = await gridForPersonLevel(db, scope, url.searchParams.get('grid') ?? '');
	const staff = await withScope(db, scope, (tx) => listGridStaff(tx, code));
	const answer: StaffList = {
		grid: code,
		staff: staff.map((s) => ({ ...s, kindLabel: KINDS[s.kind]?.[locals.lang] ?? s.kind }))
	};
	return json(answer);
};
