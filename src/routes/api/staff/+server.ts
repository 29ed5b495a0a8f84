import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import type { RequestHandler } from './$types';
import { words, type MessageKey } from '$lib/core/i18n';
import type { StaffList } from '$lib/features/gaps/contract';
import { gridForPersonLevel } from '$lib/server/queries/places';
import { listGridStaff } from '$lib/server/queries/persons';

const KINDS = {
	cadre: 'gaps_staff_kind_cadre',
	social_worker: 'gaps_staff_kind_social_worker',
	property: 'gaps_staff_kind_property',
	volunteer: 'gaps_staff_kind_volunteer',
	party_member: 'gaps_staff_kind_party_member'
} as const satisfies Record<string, MessageKey>;
const kindKey = (kind: string) =>
	Object.hasOwn(KINDS, kind) ? KINDS[kind as keyof typeof KINDS] : null;

/**
 * GET /api/staff?grid=CODE → the staff of a grid in the caller's scope (masked names), to assign
 * gap items to. Row-level security returns nobody outside the scope.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const scope = requireScope(locals);
	const db = await getDb();
	const { code } = await gridForPersonLevel(db, scope, url.searchParams.get('grid') ?? '');
	const staff = await withScope(db, scope, (tx) => listGridStaff(tx, code));
	const w = words(locals.lang);
	const answer: StaffList = {
		grid: code,
		staff: staff.map((s) => {
			const key = kindKey(s.kind);
			return { ...s, kindLabel: key ? w[key]() : s.kind };
		})
	};
	return json(answer);
};
