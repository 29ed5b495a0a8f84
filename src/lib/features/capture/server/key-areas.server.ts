/**
 * The list of key areas (重点地区) an administrator maintains: a returnee whose origin starts with one
 * of them (湖北省, 浙江省温州市) is flagged. A change re-flags the subdistrict's persons at once and
 * rebuilds the figures that count key-area arrivals. Runs as the owner, in the admin's transaction.
 */
import type { Db, Queryable } from '../../../server/db/types';
import { enterScope } from '../../../server/db/scope';
import { refreshAfterWrite } from '../../../server/rollup';
import { isPlainText } from '../../../server/http';

export interface KeyArea {
	origin: string;
	addedAt: string;
	/** Persons registered from there (origin starting with it). */
	persons: number;
}

/** The list, with how many persons each entry covers (counted under a system scope: persons are row-secured). */
export async function listKeyAreas(db: Db, subdistrictId: number): Promise<KeyArea[]> {
	return db.transaction(async (tx) => {
		const leave = await enterScope(tx, { subdistrictId, personScope: 'all', gridIds: [] });
		const rows = await tx.query<KeyArea>(
			`SELECT k.origin, k.added_at AS "addedAt",
			        (SELECT count(*)::int FROM person p WHERE p.subdistrict_id = k.subdistrict_id AND starts_with(p.origin, k.origin)) AS persons
			 FROM key_area k WHERE k.subdistrict_id = $1 ORDER BY k.origin`,
			[subdistrictId]
		);
		await leave();
		return rows;
	});
}

/** An origin as an administrator types it: 2–40 characters, no spaces inside, no control characters. */
export function cleanOrigin(raw: string): string | null {
	const text = raw.replace(/\s+/g, '');
	if (!isPlainText(text)) return null;
	const length = [...text].length;
	return length >= 2 && length <= 40 ? text : null;
}

/**
 * Adds or removes an origin, then flags each of the subdistrict's persons by the list as it now is
 * and rebuilds the figures from the earliest arrival whose flag changed. Returns how many changed.
 */
export async function changeKeyArea(
	tx: Queryable,
	subdistrictId: number,
	change: { add: string } | { remove: string },
	period: { first: string; last: string } | null,
	clock: number
): Promise<{ changed: boolean; reflagged: number }> {
	const rows =
		'add' in change
			? await tx.query(
					`INSERT INTO key_area (subdistrict_id, origin) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING origin`,
					[subdistrictId, change.add]
				)
			: await tx.query(
					'DELETE FROM key_area WHERE subdistrict_id = $1 AND origin = $2 RETURNING origin',
					[subdistrictId, change.remove]
				);
	if (rows.length === 0) return { changed: false, reflagged: 0 };
	// Persons are row-secured: the re-flagging sees the whole subdistrict under a system scope.
	const leave = await enterScope(tx, { subdistrictId, personScope: 'all', gridIds: [] });
	const flipped = await tx.query<{ day: string | null }>(
		`UPDATE person p SET key_area = NOT p.key_area
		 WHERE p.subdistrict_id = $1
		   AND p.key_area <> EXISTS (SELECT 1 FROM key_area k WHERE k.subdistrict_id = $1 AND starts_with(p.origin, k.origin))
		 RETURNING p.arrival_date::text AS day`,
		[subdistrictId]
	);
	await leave();
	const days = flipped.map((f) => f.day).filter((d): d is string => d !== null);
	if (period && days.length) {
		const from = days.reduce((a, b) => (a < b ? a : b));
		await refreshAfterWrite(
			tx,
			subdistrictId,
			period,
			from < period.first ? period.first : from,
			null,
			true,
			clock
		);
	}
	return { changed: true, reflagged: flipped.length };
}
