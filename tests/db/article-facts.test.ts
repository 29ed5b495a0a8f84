import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { testDb } from './database';

/**
 * The figures of the source article (shared/seeds; design.md "Facts"), asserted by SQL on the
 * seeded demo database, on raw records — not on the rollup — wherever a record exists.
 */
describe('demo data reproduces the article', () => {
	let db: Db;
	const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params))[0];
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
		for (const name of ['伊萨卡', '美达', '大北', '海天', '高教', '东湾', '大学城北', '云水', '闻潮', '邻里', '云滨']) {
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

	it('registers 470,000 residents', async () => {
		const row = await one<{ residents: number }>('SELECT sum(members)::int AS residents FROM household');
		expect(row.residents).toBe(470_000);
	});

	it('screened at least 1,300 key-area returnees by the end of 27 Jan (article: first two days from 25 Jan)', async () => {
		const row = await one<{ by26: number; by27: number }>(
			`SELECT count(DISTINCT p.id) FILTER (WHERE (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-01-26')::int AS by26,
			        count(DISTINCT p.id) FILTER (WHERE (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-01-27')::int AS by27
			 FROM person p JOIN screening s ON s.person_id = p.id WHERE p.key_area AND p.returnee`
		);
		expect(row.by26).toBeGreaterThanOrEqual(1_300);
		expect(row.by27).toBeGreaterThanOrEqual(1_300);
	});

	it('screened at least 7,000 returnees by 1 Feb and 11,500 persons by 28 Feb', async () => {
		const row = await one<{ returneesByFeb1: number; personsByFeb28: number }>(
			`SELECT count(DISTINCT p.id) FILTER (WHERE p.returnee AND (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-02-01')::int AS "returneesByFeb1",
			        count(DISTINCT p.id) FILTER (WHERE (s.screened_at AT TIME ZONE 'Asia/Shanghai')::date <= '2020-02-28')::int AS "personsByFeb28"
			 FROM person p JOIN screening s ON s.person_id = p.id`
		);
		expect(row.returneesByFeb1).toBeGreaterThanOrEqual(7_000);
		expect(row.personsByFeb28).toBeGreaterThanOrEqual(11_500);
	});

	it('had at least 2,500 households and 6,700 persons under home observation cumulatively by 28 Feb', async () => {
		const row = await one<{ households: number; persons: number }>(
			`SELECT count(DISTINCT household_id)::int AS households, count(DISTINCT person_id)::int AS persons
			 FROM observation WHERE start_date <= '2020-02-28'`
		);
		expect(row.households).toBeGreaterThanOrEqual(2_500);
		expect(row.persons).toBeGreaterThanOrEqual(6_700);
	});

	it('deploys at least 1,500 staff, with the article’s named teams', async () => {
		const row = await one<{ total: number; dabeiParty: number; yisakaParty: number; haitianVolunteers: number }>(
			`SELECT count(*)::int AS total,
			        count(*) FILTER (WHERE c.name = '大北社区' AND s.kind = 'party_member')::int AS "dabeiParty",
			        count(*) FILTER (WHERE c.name = '伊萨卡社区' AND s.kind = 'party_member')::int AS "yisakaParty",
			        count(*) FILTER (WHERE c.name = '海天社区' AND s.kind = 'volunteer')::int AS "haitianVolunteers"
			 FROM staff s JOIN community c ON c.id = s.community_id`
		);
		expect(row.total).toBeGreaterThanOrEqual(1_500);
		expect(row.dabeiParty).toBeGreaterThanOrEqual(50);
		expect(row.yisakaParty).toBe(29);
		expect(row.haitianVolunteers).toBeGreaterThanOrEqual(70);
	});

	it('gives 大北 11 compound gates and 48 building-entrance posts', async () => {
		const row = await one<{ gates: number; posts: number }>(
			`SELECT count(*) FILTER (WHERE k.kind = 'gate')::int AS gates, count(*) FILTER (WHERE k.kind = 'building')::int AS posts
			 FROM checkpoint k JOIN compound cp ON cp.id = k.compound_id JOIN community c ON c.id = cp.community_id
			 WHERE c.name = '大北社区'`
		);
		expect(row).toEqual({ gates: 11, posts: 48 });
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
