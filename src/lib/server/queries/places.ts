/**
 * Looking up the subdistrict's places by code: the community list every page with a community
 * filter shows, one community, one grid with its community. Run on the app's connection (places
 * are not person-level; the caller checks scope).
 */
import { error } from '@sveltejs/kit';
import type { Queryable } from '../db/types';
import type { AccessScope } from '../db/scope';
import { say } from '../say';

export interface CommunityName {
	code: string;
	name: string;
	nameEn: string;
}

/** Every community of the subdistrict, by code. */
export async function listCommunities(
	db: Queryable,
	subdistrictId: number
): Promise<CommunityName[]> {
	return db.query<CommunityName>(
		'SELECT code, name, name_en AS "nameEn" FROM community WHERE subdistrict_id = $1 ORDER BY code',
		[subdistrictId]
	);
}

/** One community of the subdistrict, or undefined. */
export async function findCommunity(
	db: Queryable,
	subdistrictId: number,
	code: string
): Promise<(CommunityName & { id: number }) | undefined> {
	const [found] = await db.query<CommunityName & { id: number }>(
		'SELECT id, code, name, name_en AS "nameEn" FROM community WHERE subdistrict_id = $1 AND code = $2',
		[subdistrictId, code]
	);
	return found;
}

export interface GridPlace {
	id: number;
	code: string;
	communityCode: string;
	communityName: string;
	communityNameEn: string;
}

/** One grid of the subdistrict with its community, or undefined. */
export async function findGrid(
	db: Queryable,
	subdistrictId: number,
	code: string
): Promise<GridPlace | undefined> {
	const [found] = await db.query<GridPlace>(
		`SELECT g.id, g.code, c.code AS "communityCode", c.name AS "communityName", c.name_en AS "communityNameEn"
		 FROM grid g JOIN community c ON c.id = g.community_id WHERE g.subdistrict_id = $1 AND g.code = $2`,
		[subdistrictId, code]
	);
	return found;
}

/**
 * The grid a person-level request names (a 4-digit code in `?grid=`), once the caller may see its
 * people: 400 for a malformed code, 404 for none, 403 outside the caller's person scope.
 */
export async function gridForPersonLevel(
	db: Queryable,
	scope: AccessScope,
	code: string
): Promise<GridPlace> {
	if (!/^\d{4}$/.test(code))
		error(400, {
			message: say().core_bad_grid_param({ raw: code.slice(0, 20) }),
			code: 'bad_parameter'
		});
	const grid = await findGrid(db, scope.subdistrictId, code);
	if (!grid) error(404, { message: say().core_no_grid({ code }), code: 'not_found' });
	if (
		scope.personScope === 'none' ||
		(scope.personScope === 'grids' && !scope.gridIds.includes(grid.id))
	)
		error(403, {
			message: say().core_grid_outside_scope({ code }),
			code: 'forbidden'
		});
	return grid;
}
