import type { AccessScope } from '../../src/lib/server/db/scope';
import { enterScope } from '../../src/lib/server/db/scope';
import type { Queryable } from '../../src/lib/server/db/types';
import { idCheckCharacter } from '../../src/lib/features/capture/model/id-number';

/** A well-formed ID number outside the demo's region (110105: 北京朝阳), one per sequence. */
export const idNumber = (sequence: number) => {
	const first17 = `11010519800101${String(sequence).padStart(3, '0')}`;
	return first17 + idCheckCharacter(first17);
};

/** Runs `work` as the request role in `scope`, in the caller's transaction. */
export async function as<T>(tx: Queryable, scope: AccessScope, work: () => Promise<T>): Promise<T> {
	const leave = await enterScope(tx, scope);
	await tx.query('SET LOCAL ROLE gridwatch_app');
	let result: T;
	try {
		result = await work();
	} catch (cause) {
		// A refusal (HttpError) leaves the transaction usable; a database error aborts it: say which.
		if (!(cause as { status?: number }).status) throw cause;
		await tx.query('RESET ROLE');
		await leave();
		throw cause;
	}
	await tx.query('RESET ROLE');
	await leave();
	return result;
}

export interface Place {
	actor: { id: number; username: string; address: string };
	subdistrictId: number;
	gridId: number;
	gridCode: string;
	otherGridId: number;
	last: string;
}

export async function place(tx: Queryable): Promise<Place> {
	const [row] = await tx.query<Place>(
		`SELECT g.subdistrict_id AS "subdistrictId", g.id AS "gridId", g.code AS "gridCode",
		        (SELECT id FROM grid WHERE id <> g.id AND subdistrict_id = g.subdistrict_id ORDER BY code LIMIT 1) AS "otherGridId",
		        (SELECT max(day)::text FROM grid_day) AS last
		 FROM grid g WHERE g.code = '0502'`
	);
	const [user] = await tx.query<{ id: number }>(
		`INSERT INTO app_user (subdistrict_id, username, display_name, role, password_hash) VALUES ($1, 'capture-test', '登记测试', 'grid_leader', 'x') RETURNING id`,
		[row.subdistrictId]
	);
	return { ...row, actor: { id: user.id, username: 'capture-test', address: '127.0.0.1' } };
}

/** The HttpError SvelteKit's error() throws: its status and body. */
export async function refusal(
	work: Promise<unknown>
): Promise<{ status: number; body: { message: string; field?: string; code?: string } }> {
	try {
		await work;
	} catch (cause) {
		return cause as { status: number; body: { message: string; field?: string } };
	}
	throw new Error('expected a refusal');
}
