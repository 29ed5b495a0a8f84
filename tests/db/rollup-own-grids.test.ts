import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';

/**
 * A write rebuilds only its own grids' rows (0016): what it leaves must be exactly what a rebuild of every grid
 * makes, for cumulative figures over many days and for the levels above the grid.
 */
describe('rollup: a write rebuilds its own grids only (issue 16 item 10)', () => {
	it(
		'leaves grid_day and community_day as a rebuild of every grid would',
		{ timeout: 240_000 },
		async () => {
			const outcome = await inRolledBackTransaction(async (tx) => {
				const [{ id: subdistrictId }] = await tx.query<{ id: number }>(
					'SELECT id FROM subdistrict'
				);
				const now = '2020-02-28T15:55:00Z';
				await tx.query(
					`SELECT refresh_grid_day($1, '2020-02-01', '2020-02-28', NULL, $2::timestamptz)`,
					[subdistrictId, now]
				);
				const whole = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', grid_id, day, to_jsonb(g)::text) AS key FROM grid_day g ORDER BY grid_id, day`
				);
				const wholeAbove = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', community_id, day, staff_on_duty) AS key FROM community_day ORDER BY community_id, day`
				);
				// A screening and an arrival land in two grids; the rollup of the other 97 is left as built.
				const [person] = await tx.query<{ id: number; gridId: number }>(
					`SELECT p.id, p.grid_id AS "gridId" FROM person p JOIN grid g ON g.id = p.grid_id WHERE g.code = '0502' AND p.returnee ORDER BY p.id LIMIT 1`
				);
				await tx.query(
					`INSERT INTO screening (subdistrict_id, person_id, grid_id, screened_at, method, result) SELECT subdistrict_id, id, grid_id, '2020-02-20T02:00:00Z', 'door', 'normal' FROM person WHERE id = $1`,
					[person.id]
				);
				await tx.query(
					`UPDATE shift SET checked_in = NOT checked_in WHERE id = (SELECT s.id FROM shift s JOIN grid g ON g.id = s.grid_id WHERE g.code = '1203' AND s.starts_at < '2020-02-25T00:00:00Z' ORDER BY s.starts_at DESC LIMIT 1)`
				);
				const [{ rows }] = await tx.query<{ rows: number }>(
					`SELECT refresh_grid_day($1, '2020-02-10', '2020-02-28', ARRAY['0502', '1203'], $2::timestamptz) AS rows`,
					[subdistrictId, now]
				);
				const scoped = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', grid_id, day, to_jsonb(g)::text) AS key FROM grid_day g ORDER BY grid_id, day`
				);
				const scopedAbove = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', community_id, day, staff_on_duty) AS key FROM community_day ORDER BY community_id, day`
				);
				await tx.query(
					`SELECT refresh_grid_day($1, '2020-02-01', '2020-02-28', NULL, $2::timestamptz)`,
					[subdistrictId, now]
				);
				const rebuilt = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', grid_id, day, to_jsonb(g)::text) AS key FROM grid_day g ORDER BY grid_id, day`
				);
				const rebuiltAbove = await tx.query<{ key: string }>(
					`SELECT concat_ws('|', community_id, day, staff_on_duty) AS key FROM community_day ORDER BY community_id, day`
				);
				const changed = rebuilt.filter((r, i) => r.key !== whole[i]?.key).length;
				return {
					rows,
					scoped: scoped.map((r) => r.key),
					rebuilt: rebuilt.map((r) => r.key),
					changed,
					scopedAbove: scopedAbove.map((r) => r.key),
					rebuiltAbove: rebuiltAbove.map((r) => r.key),
					wholeAbove: wholeAbove.length
				};
			});
			// Two grids × 19 days rebuilt, not 99 × 19.
			expect(outcome.rows).toBe(2 * 19);
			// The writes changed something (else the comparison proves nothing), and the scoped rebuild has it all.
			expect(outcome.changed).toBeGreaterThan(0);
			expect(outcome.scoped).toEqual(outcome.rebuilt);
			expect(outcome.wholeAbove).toBeGreaterThan(0);
			expect(outcome.scopedAbove).toEqual(outcome.rebuiltAbove);
		}
	);
});
