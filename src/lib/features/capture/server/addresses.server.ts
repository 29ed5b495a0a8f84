import type { Queryable } from '../../../server/db/types';
import { buildingLabel, unitLabel, type AddressHousehold } from '../model/address';

/** A household row as SQL reads it; its address parts are named by the address model. */
interface HouseholdRow {
	householdId: number;
	compound: string | null;
	buildingNumber: number | null;
	buildingCode: string | null;
	unit: number | null;
	room: string;
	members: number;
}

const SELECT_HOUSEHOLD = `SELECT h.id AS "householdId", cp.name AS compound, b.number AS "buildingNumber",
		        b.code AS "buildingCode", h.unit, coalesce(h.room, h.code) AS room, h.members`;

const asAddress = ({
	buildingNumber,
	buildingCode,
	unit,
	...row
}: HouseholdRow): AddressHousehold => ({
	...row,
	building: buildingLabel(buildingNumber, row.compound !== null, buildingCode ?? ''),
	unit: unitLabel(unit),
	buildingCode: buildingCode ?? ''
});

/**
 * A grid's households as addresses (compound → building → unit → room), in the caller's scope
 * (row-level security: households of other grids are not returned). Ordered as a walk through the
 * grid: compound, building number, unit, room.
 */
export async function gridAddresses(tx: Queryable, gridId: number): Promise<AddressHousehold[]> {
	const rows = await tx.query<HouseholdRow>(
		`${SELECT_HOUSEHOLD}
		 FROM household h
		 JOIN building b ON b.id = h.building_id
		 LEFT JOIN compound cp ON cp.id = b.compound_id
		 WHERE h.grid_id = $1
		 ORDER BY cp.name NULLS LAST, b.number, b.code, h.unit, length(h.room), h.room, h.id`,
		[gridId]
	);
	return rows.map(asAddress);
}

/** One household in the caller's scope, with its grid and address; null when not found or not visible. */
export async function findHousehold(
	tx: Queryable,
	householdId: number
): Promise<(AddressHousehold & { gridId: number | null; gridCode: string | null }) | null> {
	const [row] = await tx.query<HouseholdRow & { gridId: number | null; gridCode: string | null }>(
		`${SELECT_HOUSEHOLD}, h.grid_id AS "gridId", g.code AS "gridCode"
		 FROM household h
		 LEFT JOIN building b ON b.id = h.building_id
		 LEFT JOIN compound cp ON cp.id = b.compound_id
		 LEFT JOIN grid g ON g.id = h.grid_id
		 WHERE h.id = $1`,
		[householdId]
	);
	if (!row) return null;
	const { gridId, gridCode, ...household } = row;
	return { ...asAddress(household), gridId, gridCode };
}

/**
 * Households in the caller's scope that a typed address names (see parseAddress): at most `limit`.
 */
export async function householdsAt(
	tx: Queryable,
	query: { compound: string; building: number | null; unit: number | null; room: string | null },
	limit = 2
): Promise<number[]> {
	// A number no building or unit has (and more than an int holds) matches nothing.
	const tooBig = (n: number | null) => n !== null && n > 999_999;
	if (tooBig(query.building) || tooBig(query.unit) || (query.room?.length ?? 0) > 8) return [];
	const rows = await tx.query<{ id: number }>(
		`SELECT h.id FROM household h
		 JOIN building b ON b.id = h.building_id
		 LEFT JOIN compound cp ON cp.id = b.compound_id
		 WHERE ($1 = '' OR strpos(replace(coalesce(cp.name, ''), ' ', ''), $1) > 0)
		   AND ($2::int IS NULL OR b.number = $2::int)
		   AND ($3::int IS NULL OR h.unit = $3::int)
		   AND ($4::text IS NULL OR ltrim(h.room, '0') = ltrim($4::text, '0'))
		 ORDER BY h.id LIMIT $5`,
		[query.compound, query.building, query.unit, query.room, limit]
	);
	return rows.map((r) => r.id);
}
