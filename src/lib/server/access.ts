import type { Db, Queryable } from './db/types';
import { withScope, type AccessScope } from './db/scope';

let subdistrictId: Promise<number> | null = null;

/** The deployment's subdistrict (one per instance for now; the schema allows many). */
async function defaultSubdistrictId(db: Db): Promise<number> {
	subdistrictId ??= db.query<{ id: number }>('SELECT id FROM subdistrict ORDER BY id LIMIT 1').then((rows) => {
		if (!rows[0]) {
			subdistrictId = null;
			throw new Error('No subdistrict loaded');
		}
		return rows[0].id;
	});
	return subdistrictId;
}

/** Aggregates-only access: what the map, the summary and wall screens read. */
export async function aggregateScope(db: Db): Promise<AccessScope> {
	return { subdistrictId: await defaultSubdistrictId(db), personScope: 'none', gridIds: [] };
}

/** Runs `work` under aggregates-only access (row-level security hides every person-level row). */
export async function withAggregateAccess<T>(db: Db, work: (tx: Queryable) => Promise<T>): Promise<T> {
	return withScope(db, await aggregateScope(db), work);
}
