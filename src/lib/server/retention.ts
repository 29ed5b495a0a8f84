import type { Queryable } from './db/types';
import { enterScope } from './db/scope';
import { writeAudit } from './audit';

/**
 * Retention (PIPL art. 19 and art. 47: keep personal information no longer than needed): a
 * person's records are purged `days` after their last observation ended, or after their last
 * screening when they were never under observation. Anyone still under (or due for) observation,
 * or never screened, is kept. Households stay: they are the register, not the case.
 */
const ELIGIBLE = `
	SELECT p.id, p.community_id
	FROM person p
	WHERE p.subdistrict_id = $1
	  AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.person_id = p.id AND o.end_date > $2::date - $3::int)
	  AND (
	        EXISTS (SELECT 1 FROM observation o WHERE o.person_id = p.id)
	     OR (EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id)
	         AND NOT EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id
	                           AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date - $3::int))
	  )`;

export interface RetentionReport {
	cutoff: string;
	persons: number;
	screenings: number;
	observations: number;
	/** Health checks of their home observation (temperatures, symptoms). */
	healthChecks: number;
	byCommunity: { community: string; persons: number }[];
}

async function report(
	tx: Queryable,
	subdistrictId: number,
	days: number,
	today: string
): Promise<RetentionReport> {
	const [totals] = await tx.query<{
		cutoff: string;
		persons: number;
		screenings: number;
		observations: number;
		healthChecks: number;
	}>(
		`WITH e AS (${ELIGIBLE})
		 SELECT ($2::date - $3::int)::text AS cutoff,
		        (SELECT count(*)::int FROM e) AS persons,
		        (SELECT count(*)::int FROM screening s WHERE s.person_id IN (SELECT id FROM e)) AS screenings,
		        (SELECT count(*)::int FROM observation o WHERE o.person_id IN (SELECT id FROM e)) AS observations,
		        (SELECT count(*)::int FROM health_check h WHERE h.person_id IN (SELECT id FROM e)) AS "healthChecks"`,
		[subdistrictId, today, days]
	);
	const byCommunity = await tx.query<{ community: string; persons: number }>(
		`WITH e AS (${ELIGIBLE})
		 SELECT c.name AS community, count(*)::int AS persons FROM e JOIN community c ON c.id = e.community_id
		 GROUP BY c.name ORDER BY c.name`,
		[subdistrictId, today, days]
	);
	return { ...totals, byCommunity };
}

/**
 * Reports what a purge would remove (`apply` false), or removes it and audits the purge, in the
 * caller's transaction, under a system scope for the subdistrict.
 */
export async function runRetention(
	tx: Queryable,
	options: { subdistrictId: number; days: number; today: string; apply: boolean; actor: string }
): Promise<RetentionReport> {
	const leave = await enterScope(tx, {
		subdistrictId: options.subdistrictId,
		personScope: 'all',
		gridIds: []
	});
	const result = await report(tx, options.subdistrictId, options.days, options.today);
	if (options.apply && result.persons > 0) {
		// Fix the set first: deleting screenings would change who is eligible.
		const [{ ids }] = await tx.query<{ ids: string }>(
			`SELECT coalesce(array_agg(id), '{}')::text AS ids FROM (${ELIGIBLE}) e`,
			[options.subdistrictId, options.today, options.days]
		);
		await tx.query('DELETE FROM screening WHERE person_id = ANY ($1::int[])', [ids]);
		await tx.query('DELETE FROM health_check WHERE person_id = ANY ($1::int[])', [ids]);
		await tx.query('DELETE FROM observation WHERE person_id = ANY ($1::int[])', [ids]);
		// A merge keeps the merged person's row: it goes with either of them.
		await tx.query(
			'DELETE FROM person_merge WHERE kept_id = ANY ($1::int[]) OR merged_id = ANY ($1::int[])',
			[ids]
		);
		await tx.query('DELETE FROM person WHERE id = ANY ($1::int[])', [ids]);
	}
	await writeAudit(tx, {
		subdistrictId: options.subdistrictId,
		actorUserId: null,
		actor: options.actor,
		action: options.apply ? 'retention.purge' : 'retention.dry_run',
		detail: {
			days: options.days,
			today: options.today,
			cutoff: result.cutoff,
			persons: result.persons,
			screenings: result.screenings,
			observations: result.observations,
			healthChecks: result.healthChecks
		}
	});
	await leave();
	return result;
}
