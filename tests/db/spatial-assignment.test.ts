import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';

describe('grid and community assigned when a record is written', () => {
	it('assigns a new household to the grid that covers its point, and follows it when moved', async () => {
		const result = await inRolledBackTransaction(async (tx) => {
			const [target] = await tx.query<{
				id: number;
				community_id: number;
				lng: number;
				lat: number;
			}>(
				`SELECT id, community_id, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE code = '0502'`
			);
			const [other] = await tx.query<{ id: number; lng: number; lat: number }>(
				`SELECT id, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE code = '1203'`
			);
			const [inserted] = await tx.query<{ id: number; grid_id: number; community_id: number }>(
				`INSERT INTO household (subdistrict_id, code, members, geom)
				 VALUES ((SELECT id FROM subdistrict LIMIT 1), 'TEST-1', 3, ST_SetSRID(ST_MakePoint($1, $2), 4326))
				 RETURNING id, grid_id, community_id`,
				[target.lng, target.lat]
			);
			const [moved] = await tx.query<{ grid_id: number }>(
				'UPDATE household SET geom = ST_SetSRID(ST_MakePoint($1, $2), 4326) WHERE id = $3 RETURNING grid_id',
				[other.lng, other.lat, inserted.id]
			);
			// A person in that household inherits the household's grid.
			const [person] = await tx.query<{ grid_id: number }>(
				`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, origin, returnee, arrival_date)
				 VALUES ((SELECT id FROM subdistrict LIMIT 1), $1, 'test-hash-1', '张*', '湖北省武汉市', true, '2020-02-01')
				 RETURNING grid_id`,
				[inserted.id]
			);
			return { target, other, inserted, moved, person };
		});
		expect(result.inserted.grid_id).toBe(result.target.id);
		expect(result.inserted.community_id).toBe(result.target.community_id);
		expect(result.moved.grid_id).toBe(result.other.id);
		expect(result.person.grid_id).toBe(result.other.id);
	});

	it('leaves a point outside the jurisdiction without a grid (flagged, not guessed)', async () => {
		const row = await inRolledBackTransaction(async (tx) => {
			const [r] = await tx.query<{ grid_id: number | null }>(
				`INSERT INTO household (subdistrict_id, code, members, geom)
				 VALUES ((SELECT id FROM subdistrict LIMIT 1), 'TEST-OUT', 2, ST_SetSRID(ST_MakePoint(120.2, 30.25), 4326))
				 RETURNING grid_id`
			);
			return r;
		});
		expect(row.grid_id).toBeNull();
	});
});

describe('grid_day rollup', () => {
	it('agrees with a direct count on the raw records (spatial join at read time) for sample days', async () => {
		const mismatches = await inRolledBackTransaction(async (tx) => {
			return tx.query<{ code: string; day: string }>(
				`WITH days AS (SELECT unnest(ARRAY['2020-01-26', '2020-02-05', '2020-02-28']::date[]) AS day),
				 direct AS (
				     SELECT g.id AS grid_id, d.day,
				            (SELECT count(DISTINCT o.household_id) FROM observation o JOIN household h ON h.id = o.household_id
				              WHERE ST_Covers(g.geom, h.geom) AND o.start_date <= d.day AND d.day < o.end_date)::int AS observed,
				            (SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id
				              WHERE ST_Covers(g.geom, h.geom) AND p.returnee AND p.arrival_date <= d.day)::int AS due,
				            (SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id
				              WHERE ST_Covers(g.geom, h.geom) AND p.returnee AND p.arrival_date <= d.day
				                AND EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id
				                              AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= d.day))::int AS screened
				     FROM grid g CROSS JOIN days d
				 )
				 SELECT g.code, gd.day::text AS day
				 FROM direct x JOIN grid_day gd ON gd.grid_id = x.grid_id AND gd.day = x.day JOIN grid g ON g.id = x.grid_id
				 WHERE gd.observed_households <> x.observed OR gd.returnees_due <> x.due OR gd.returnees_screened <> x.screened`
			);
		});
		expect(mismatches).toEqual([]);
	});

	it('refreshes a day after a write: a new screening raises that grid’s coverage', async () => {
		const result = await inRolledBackTransaction(async (tx) => {
			const [unscreened] = await tx.query<{
				person_id: number;
				grid_id: number;
				subdistrict_id: number;
			}>(
				`SELECT p.id AS person_id, p.grid_id, p.subdistrict_id FROM person p
				 WHERE p.returnee AND p.arrival_date <= '2020-02-20'
				   AND NOT EXISTS (SELECT 1 FROM screening s WHERE s.person_id = p.id)
				 ORDER BY p.id LIMIT 1`
			);
			const figures = () =>
				tx.query<{ day: string; screened: number }>(
					`SELECT day::text AS day, returnees_screened AS screened FROM grid_day WHERE grid_id = $1 AND day >= '2020-02-26' ORDER BY day`,
					[unscreened.grid_id]
				);
			const before = await figures();
			await tx.query(
				`INSERT INTO screening (subdistrict_id, person_id, screened_at, method, result) VALUES ($1, $2, '2020-02-27T10:00:00+08:00', 'door', 'normal')`,
				[unscreened.subdistrict_id, unscreened.person_id]
			);
			await tx.query(`SELECT refresh_grid_day($1, '2020-02-26', '2020-02-28')`, [
				unscreened.subdistrict_id
			]);
			return { before, after: await figures() };
		});
		expect(result.after.map((r) => r.day)).toEqual(['2020-02-26', '2020-02-27', '2020-02-28']);
		// Screened on 27 Feb: not counted on the 26th, counted from the 27th on.
		expect(result.after[0].screened).toBe(result.before[0].screened);
		expect(result.after[1].screened).toBe(result.before[1].screened + 1);
		expect(result.after[2].screened).toBe(result.before[2].screened + 1);
	});
});
