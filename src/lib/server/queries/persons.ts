import type { Queryable } from '../db/types';

export interface ReturneeRow {
	id: number;
	nameMasked: string;
	phoneMasked: string | null;
	origin: string;
	keyArea: boolean;
	arrivalDate: string;
	screenedAt: string | null;
}

/**
 * Returnees registered in one grid with their first screening. Runs under the caller's scope:
 * row-level security returns nothing for a grid outside it.
 */
export async function listGridReturnees(tx: Queryable, gridCode: string): Promise<ReturneeRow[]> {
	return tx.query<ReturneeRow>(
		`SELECT p.id, p.name_masked AS "nameMasked", p.phone_masked AS "phoneMasked", p.origin, p.key_area AS "keyArea",
		        p.arrival_date::text AS "arrivalDate",
		        to_char(min(s.screened_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "screenedAt"
		 FROM person p
		 JOIN grid g ON g.id = p.grid_id
		 LEFT JOIN screening s ON s.person_id = p.id
		 WHERE g.code = $1 AND p.returnee
		 GROUP BY p.id
		 ORDER BY p.arrival_date, p.id`,
		[gridCode]
	);
}

export interface StaffRow {
	id: number;
	code: string;
	/** Masked: 张*明. */
	name: string;
	kind: string;
}

/** The staff of one grid (masked names), to assign gap items to. Runs under the caller's scope. */
export async function listGridStaff(tx: Queryable, gridCode: string): Promise<StaffRow[]> {
	return tx.query<StaffRow>(
		`SELECT s.id, s.code, s.name_masked AS name, s.kind FROM staff s JOIN grid g ON g.id = s.grid_id WHERE g.code = $1 ORDER BY s.kind, s.code`,
		[gridCode]
	);
}
