import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { testDb } from './database';

/**
 * The figures of the source article (shared/seeds; design.md "Facts"), asserted by SQL on the
 * seeded demo database, on raw records — not on the rollup — wherever a record exists.
 *
 * Each inside its stated range: "N多" / "N余" adds less than one unit of N's last non-zero digit
 * (1,300多 is 1,300–1,399; 7,000多 is 7,000–7,999; 50多 is 50–59); "超过1.15万" is more than 11,500,
 * below 11,600; a plain figure is exact. Not modelled, so not asserted: the share of migrants (80%以上),
 * 19 temporary party branches, the 1,000+ records checked a day, 伊萨卡's 10 garbage bins, 60% of the new area.
 */
const inRange = (value: number, [low, high]: [number, number]) => {
	expect(value).toBeGreaterThanOrEqual(low);
	expect(value).toBeLessThanOrEqual(high);
};
describe('demo data reproduces the article', () => {
	let db: Db;
	const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
		(await db.query<T>(sql, params))[0];
	beforeAll(async () => {
		db = await testDb();
	});

	it('has 25 communities, 99 grids and 64 compounds', async () => {
		const row = await one<{ communities: number; grids: number; compounds: number }>(
			`SELECT (SELECT count(*)::int FROM community) AS communities, (SELECT count(*)::int FROM grid) AS grids,
			        (SELECT count(*)::int FROM compound) AS compounds`
		);
		expect(row).toEqual({ communities: 25, grids: 99, compounds: 64 });
	});

	it('names the article’s eleven communities', async () => {
		const rows = await db.query<{ name: string }>('SELECT name FROM community');
		const names = rows.map((r) => r.name);
		for (const name of [
			'伊萨卡',
			'美达',
			'大北',
			'海天',
			'高教',
			'东湾',
			'大学城北',
			'云水',
			'闻潮',
			'邻里',
			'云滨'
		]) {
			expect(names).toContain(`${name}社区`);
		}
		expect(names).not.toContain('云邸社区');
	});

	it('places the named compounds in their communities', async () => {
		const rows = await db.query<{ compound: string; community: string }>(
			`SELECT cp.name AS compound, c.name AS community FROM compound cp JOIN community c ON c.id = cp.community_id
			 WHERE cp.name IN ('清雅苑', '保利东湾', '云滨湾') ORDER BY cp.name`
		);
		expect(rows).toEqual([
			{ compound: '云滨湾', community: '云滨社区' },
			{ compound: '保利东湾', community: '东湾社区' },
			{ compound: '清雅苑', community: '高教社区' }
		]);
	});

	it('registers 470,000 residents on 54.9 km² (54.85–54.95, on the geography)', async () => {
		const row = await one<{ residents: number; km2: number }>(
			'SELECT (SELECT sum(members)::int FROM household) AS residents, (SELECT ST_Area(geom::geography) / 1e6 FROM subdistrict) AS km2'
		);
		expect(row.residents).toBe(470_000);
		inRange(Number(row.km2), [54.85, 54.95]);
	});

	it('began screening on 25 Jan and screened 1,300多 (1,300–1,399) key-area returnees in its first two days (25–26 Jan)', async () => {
		const row = await one<{ first: string; by26: number }>(
			`SELECT min((s.screened_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS first,
			        count(DISTINCT p.id) FILTER (WHERE p.key_area AND p.returnee AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-01-26')::int AS by26
			 FROM person p JOIN screening s ON s.person_id = p.id`
		);
		expect(row.first).toBe('2020-01-25');
		inRange(row.by26, [1_300, 1_399]);
	});

	it('screened 7,000多 (7,000–7,999) returnees within a week (25–31 Jan) and more than 1.15万 (11,501–11,599) persons by 28 Feb', async () => {
		const row = await one<{ returneesInWeek: number; personsByFeb28: number }>(
			`SELECT count(DISTINCT p.id) FILTER (WHERE p.returnee AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-01-31')::int AS "returneesInWeek",
			        count(DISTINCT p.id) FILTER (WHERE (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-02-28')::int AS "personsByFeb28"
			 FROM person p JOIN screening s ON s.person_id = p.id`
		);
		inRange(row.returneesInWeek, [7_000, 7_999]);
		inRange(row.personsByFeb28, [11_501, 11_599]);
	});

	it('had 2,500多 (2,500–2,599) households and 6,700多 (6,700–6,799) persons under home observation cumulatively by 28 Feb', async () => {
		const row = await one<{ households: number; persons: number }>(
			`SELECT count(DISTINCT household_id)::int AS households, count(DISTINCT person_id)::int AS persons
			 FROM observation WHERE start_date <= '2020-02-28'`
		);
		inRange(row.households, [2_500, 2_599]);
		inRange(row.persons, [6_700, 6_799]);
	});

	it('deploys 1,500余 (1,501–1,599) staff, with the article’s named teams: 大北 50多, 伊萨卡 29, 海天 70多', async () => {
		const row = await one<{
			total: number;
			dabeiParty: number;
			yisakaParty: number;
			haitianVolunteers: number;
		}>(
			`SELECT count(*)::int AS total,
			        count(*) FILTER (WHERE c.name = '大北社区' AND s.kind = 'party_member')::int AS "dabeiParty",
			        count(*) FILTER (WHERE c.name = '伊萨卡社区' AND s.kind = 'party_member')::int AS "yisakaParty",
			        count(*) FILTER (WHERE c.name = '海天社区' AND s.kind = 'volunteer')::int AS "haitianVolunteers"
			 FROM staff s JOIN community c ON c.id = s.community_id`
		);
		inRange(row.total, [1_501, 1_599]);
		inRange(row.dabeiParty, [50, 59]);
		expect(row.yisakaParty).toBe(29);
		inRange(row.haitianVolunteers, [70, 79]);
	});

	it('gives 大北 11 compound gates and 48 building-entrance posts at 48 distinct buildings (48幢楼道)', async () => {
		// A building-entrance post stands at its building's door: the nearest building of its compound.
		const row = await one<{ gates: number; posts: number; buildings: number }>(
			`SELECT count(*) FILTER (WHERE k.kind = 'gate')::int AS gates, count(*) FILTER (WHERE k.kind = 'building')::int AS posts,
			        count(DISTINCT b.id) FILTER (WHERE k.kind = 'building')::int AS buildings
			 FROM checkpoint k JOIN compound cp ON cp.id = k.compound_id JOIN community c ON c.id = cp.community_id
			 LEFT JOIN LATERAL (SELECT b.id FROM building b WHERE b.compound_id = cp.id ORDER BY b.geom <-> k.geom LIMIT 1) b ON true
			 WHERE c.name = '大北社区'`
		);
		expect(row).toEqual({ gates: 11, posts: 48, buildings: 48 });
	});

	it('tracks 3,611 enterprises and 75 projects', async () => {
		const row = await one<{ enterprises: number; projects: number }>(
			'SELECT (SELECT count(*)::int FROM enterprise) AS enterprises, (SELECT count(*)::int FROM project) AS projects'
		);
		expect(row).toEqual({ enterprises: 3_611, projects: 75 });
	});

	it('covers every day from 20 Jan to 28 Feb 2020 for every grid', async () => {
		const row = await one<{ days: number; rows: number; first: string; last: string }>(
			'SELECT count(DISTINCT day)::int AS days, count(*)::int AS rows, min(day)::text AS first, max(day)::text AS last FROM grid_day'
		);
		expect(row).toEqual({ days: 40, rows: 40 * 99, first: '2020-01-20', last: '2020-02-28' });
	});

	it('is uneven: some grids clearly behind on screening and short on night shifts', async () => {
		const coverage = await one<{ low: number; onTrack: number }>(
			`SELECT count(*) FILTER (WHERE returnees_screened::float / returnees_due < 0.8)::int AS low,
			        count(*) FILTER (WHERE returnees_screened::float / returnees_due >= 0.95)::int AS "onTrack"
			 FROM grid_day WHERE day = '2020-02-28' AND returnees_due > 0`
		);
		expect(coverage.low).toBeGreaterThanOrEqual(2);
		expect(coverage.onTrack).toBeGreaterThanOrEqual(50);
		// Night shifts (22:00–06:00) in the last week staffed below the checkpoint's requirement, by grid.
		const nights = await db.query<{ grid: string; short: number }>(
			`SELECT g.code AS grid, count(*)::int AS short FROM (
			     SELECT s.checkpoint_id, s.starts_at, count(*) FILTER (WHERE s.checked_in) AS present
			     FROM shift s
			     WHERE (s.starts_at AT TIME ZONE 'Asia/Shanghai')::time = '22:00' AND s.starts_at >= '2020-02-22'
			     GROUP BY s.checkpoint_id, s.starts_at) slot
			 JOIN checkpoint c ON c.id = slot.checkpoint_id JOIN grid g ON g.id = c.grid_id
			 WHERE slot.present < c.required_staff
			 GROUP BY g.code HAVING count(*) >= 7 ORDER BY g.code`
		);
		expect(nights.length).toBeGreaterThanOrEqual(3);
	});
});
