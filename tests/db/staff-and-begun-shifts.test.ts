import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/lib/server/db/types';
import { enterScope } from '../../src/lib/server/db/scope';
import { getAreaFeatures, getSummary, getTrend } from '../../src/lib/server/queries/areas';
import { ensureRollupCurrent } from '../../src/lib/server/rollup';
import { getGridDetail } from '../../src/lib/server/queries/layers';
import { METRICS } from '../../src/lib/domain/metrics';
import { inRolledBackTransaction } from './database';

const DAY = '2020-02-28';
const at = (time: string) => Date.parse(`${DAY}T${time}:00+08:00`);

/** Every raw row visible (as the rollup reads them), rolled back after. */
const withAllRows = <T>(work: (tx: Queryable, subdistrictId: number) => Promise<T>) =>
	inRolledBackTransaction(async (tx) => {
		const [{ id }] = await tx.query<{ id: number }>(
			'SELECT id FROM subdistrict ORDER BY id LIMIT 1'
		);
		await enterScope(tx, { subdistrictId: id, personScope: 'all', gridIds: [] });
		return work(tx, id);
	});

/** Distinct people checked in at a shift begun on DAY by `clock`, recounted from the raw shift rows (one pass, three levels). */
async function peopleOnDuty(tx: Queryable, clock: number) {
	const rows = await tx.query<{ grid: string | null; community: string | null; n: number }>(
		`SELECT g.code AS grid, c.code AS community, count(DISTINCT s.staff_id)::int AS n
		 FROM shift s JOIN grid g ON g.id = s.grid_id JOIN community c ON c.id = s.community_id
		 WHERE s.checked_in AND s.starts_at >= $1::timestamptz AND s.starts_at < $1::timestamptz + interval '1 day'
		   AND s.starts_at <= to_timestamp($2 / 1000.0)
		 GROUP BY GROUPING SETS ((g.code), (c.code), ())`,
		[`${DAY}T00:00:00+08:00`, clock]
	);
	const grids = new Map(rows.filter((r) => r.grid !== null).map((r) => [r.grid!, r.n]));
	const communities = new Map(
		rows.filter((r) => r.community !== null).map((r) => [r.community!, r.n])
	);
	return {
		grids,
		communities,
		subdistrict: rows.find((r) => r.grid === null && r.community === null)?.n ?? 0
	};
}

/** Required and staffed shift-hours on DAY over the shift slots (06:00, 14:00, 22:00) begun by `clock`, from raw rows. */
async function staffingFromRaw(tx: Queryable, clock: number) {
	const begun = ['06:00', '14:00', '22:00'].filter((t) => at(t) <= clock).length;
	const [row] = await tx.query<{ required: number; staffed: number }>(
		`WITH open_cp AS (
			SELECT id, required_staff, hours_per_day FROM checkpoint
			WHERE grid_id IS NOT NULL AND opens_on <= $1::date AND (closes_on IS NULL OR $1::date < closes_on)
		 ), present AS (
			SELECT s.checkpoint_id, s.starts_at, count(*) FILTER (WHERE s.checked_in) AS n FROM shift s
			WHERE s.starts_at >= $4::timestamptz AND s.starts_at < $4::timestamptz + interval '1 day' AND s.starts_at <= to_timestamp($2 / 1000.0)
			GROUP BY 1, 2
		 )
		 SELECT (SELECT coalesce(sum(required_staff * 8 * least(hours_per_day / 8, $3::int)), 0)::int FROM open_cp) AS required,
		        (SELECT coalesce(sum(least(p.n, o.required_staff) * 8), 0)::int FROM present p JOIN open_cp o ON o.id = p.checkpoint_id) AS staffed`,
		[DAY, clock, begun, `${DAY}T00:00:00+08:00`]
	);
	return row;
}

const rebuild = (tx: Queryable, subdistrictId: number, day: string, clock: number) =>
	tx.query('SELECT refresh_grid_day($1, $2::date, $2::date, NULL, to_timestamp($3 / 1000.0))', [
		subdistrictId,
		day,
		clock
	]);

// Rebuilding a day takes seconds on PGlite (WASM), more on a busy machine.
describe('staff on duty counts people, not person-shifts', { timeout: 240_000 }, () => {
	it('equals the distinct people in the raw shift rows on 28 Feb for every grid, community and the subdistrict', async () => {
		await withAllRows(async (tx) => {
			const raw = await peopleOnDuty(tx, at('23:55'));
			// The demo rosters people in two grids on one day, so a sum over grids would count them twice.
			const gridSum = [...raw.grids.values()].reduce((a, b) => a + b, 0);
			expect(gridSum).toBeGreaterThan(raw.subdistrict);

			const grids = await getAreaFeatures(tx, 'grid', DAY);
			for (const g of grids)
				expect(g.properties.staffOnDuty, g.properties.code).toBe(
					raw.grids.get(g.properties.code) ?? 0
				);
			const communities = await getAreaFeatures(tx, 'community', DAY);
			for (const c of communities)
				expect(c.properties.staffOnDuty, c.properties.code).toBe(
					raw.communities.get(c.properties.code) ?? 0
				);
			expect((await getSummary(tx, DAY))!.figures.staffOnDuty).toBe(raw.subdistrict);
			expect((await getTrend(tx, DAY, 2)).at(-1)).toMatchObject({
				day: DAY,
				staffOnDuty: raw.subdistrict
			});
		});
	});

	it('counts once, at each level above them, a person rostered in two grids of one community and in another community', async () => {
		await withAllRows(async (tx, subdistrictId) => {
			// Three gate posts: two in grids of one community, one in another community.
			const posts = await tx.query<{
				id: number;
				grid: string;
				community: string;
				communityId: number;
				gridId: number;
			}>(
				`(SELECT DISTINCT ON (k.grid_id) k.id, g.code AS grid, c.code AS community, c.id AS "communityId", g.id AS "gridId"
				  FROM checkpoint k JOIN grid g ON g.id = k.grid_id JOIN community c ON c.id = g.community_id
				  WHERE c.code = (SELECT min(code) FROM community) AND k.hours_per_day = 24 ORDER BY k.grid_id, k.id LIMIT 2)
				 UNION ALL
				 (SELECT k.id, g.code, c.code, c.id, g.id
				  FROM checkpoint k JOIN grid g ON g.id = k.grid_id JOIN community c ON c.id = g.community_id
				  WHERE c.code = (SELECT max(code) FROM community) AND k.hours_per_day = 24 ORDER BY k.id LIMIT 1)`
			);
			expect(posts).toHaveLength(3);
			expect(posts[0].grid).not.toBe(posts[1].grid);
			expect(posts[0].community).toBe(posts[1].community);
			const before = await peopleOnDuty(tx, at('23:55'));
			const beforeGrids = await getAreaFeatures(tx, 'grid', DAY);
			const beforeCommunities = await getAreaFeatures(tx, 'community', DAY);
			const beforeTotal = (await getSummary(tx, DAY))!.figures.staffOnDuty;

			const [{ id: staffId }] = await tx.query<{ id: number }>(
				`INSERT INTO staff (subdistrict_id, community_id, grid_id, code, kind, name_masked) VALUES ($1, $2, $3, 'T-TWO-GRIDS', 'volunteer', '测*') RETURNING id`,
				[subdistrictId, posts[0].communityId, posts[0].gridId]
			);
			// Morning, afternoon and night at three posts: never two at once.
			for (const [post, start, end] of [
				[posts[0], '06:00', '14:00'],
				[posts[1], '14:00', '22:00'],
				[posts[2], '22:00', null]
			] as const) {
				await tx.query(
					`INSERT INTO shift (subdistrict_id, checkpoint_id, staff_id, starts_at, ends_at, checked_in)
					 VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), true)`,
					[subdistrictId, post.id, staffId, at(start), end ? at(end) : at('22:00') + 8 * 3_600_000]
				);
			}
			await rebuild(tx, subdistrictId, DAY, at('23:55'));

			const after = await peopleOnDuty(tx, at('23:55'));
			expect(after.subdistrict).toBe(before.subdistrict + 1);
			const grids = await getAreaFeatures(tx, 'grid', DAY);
			for (const g of grids) {
				const added = posts.some((p) => p.grid === g.properties.code) ? 1 : 0;
				expect(g.properties.staffOnDuty, g.properties.code).toBe(
					beforeGrids.find((b) => b.id === g.id)!.properties.staffOnDuty + added
				);
				expect(g.properties.staffOnDuty).toBe(after.grids.get(g.properties.code) ?? 0);
			}
			const communities = await getAreaFeatures(tx, 'community', DAY);
			for (const c of communities) {
				const added = posts.some((p) => p.community === c.properties.code) ? 1 : 0;
				expect(c.properties.staffOnDuty, c.properties.code).toBe(
					beforeCommunities.find((b) => b.id === c.id)!.properties.staffOnDuty + added
				);
				expect(c.properties.staffOnDuty).toBe(after.communities.get(c.properties.code) ?? 0);
			}
			expect((await getSummary(tx, DAY))!.figures.staffOnDuty).toBe(beforeTotal + 1);
		});
	});
});

describe(
	'staffing for a day counts only the shifts begun by the clock',
	{ timeout: 240_000 },
	() => {
		const totals = async (tx: Queryable, day: string) => {
			const [row] = await tx.query<{
				required: number;
				staffed: number;
				understaffed: number;
				onDuty: number;
			}>(
				`SELECT sum(required_shift_hours)::int AS required, sum(staffed_shift_hours)::int AS staffed,
			        sum(understaffed_shifts)::int AS understaffed, (SELECT staff_on_duty FROM subdistrict_day WHERE day = $1::date) AS "onDuty"
			 FROM grid_day WHERE day = $1::date`,
				[day]
			);
			return row;
		};

		it('rebuilt at 10:00, 28 Feb holds the morning shift only, as recounted from raw shifts; at 05:00 it has no staffing figure, not 0 %', async () => {
			await withAllRows(async (tx, subdistrictId) => {
				const wholeDay = await totals(tx, DAY);
				await rebuild(tx, subdistrictId, DAY, at('10:00'));
				const morning = await totals(tx, DAY);
				const raw = await staffingFromRaw(tx, at('10:00'));
				expect(morning.required).toBe(raw.required);
				expect(morning.staffed).toBe(raw.staffed);
				expect(morning.onDuty).toBe((await peopleOnDuty(tx, at('10:00'))).subdistrict);
				expect(morning.required).toBeLessThan(wholeDay.required);
				expect(morning.understaffed).toBeLessThan(wholeDay.understaffed);
				// Staffing so far is a real figure (the morning shift is mostly staffed), not a day of empty shifts.
				const summary = (await getSummary(tx, DAY))!;
				expect(METRICS.checkpoint_staffing.value(summary.figures)).toBe(raw.staffed / raw.required);
				expect(METRICS.checkpoint_staffing.value(summary.figures)).toBeGreaterThan(0.8);

				await rebuild(tx, subdistrictId, DAY, at('05:00'));
				const early = (await getSummary(tx, DAY))!;
				expect(early.figures.requiredShiftHours).toBe(0);
				expect(early.figures.staffOnDuty).toBe(0);
				expect(METRICS.checkpoint_staffing.value(early.figures)).toBeNull();
			});
		});

		it('brings a day built earlier up to date once another shift has begun, and leaves it alone within a shift', async () => {
			await withAllRows(async (tx, subdistrictId) => {
				await rebuild(tx, subdistrictId, DAY, at('10:00'));
				const morning = await totals(tx, DAY);
				await ensureRollupCurrent(tx, subdistrictId, at('13:59'));
				expect(await totals(tx, DAY)).toEqual(morning);
				await ensureRollupCurrent(tx, subdistrictId, at('15:00'));
				const afternoon = await totals(tx, DAY);
				expect(afternoon.required).toBe((await staffingFromRaw(tx, at('15:00'))).required);
				expect(afternoon.required).toBeGreaterThan(morning.required);
				// The next morning the day is over: every shift counts, as when it was built after the day.
				await ensureRollupCurrent(tx, subdistrictId, Date.parse('2020-02-29T09:00:00+08:00'));
				const raw = await staffingFromRaw(tx, at('23:59'));
				expect(await totals(tx, DAY)).toMatchObject({
					required: raw.required,
					staffed: raw.staffed
				});
			});
		});

		it('the compounds of a grid count the same begun shifts: at 10:00 the morning shift only', async () => {
			await withAllRows(async (tx, subdistrictId) => {
				const [grid] = await tx.query<{ code: string }>(
					`SELECT g.code FROM grid g JOIN checkpoint k ON k.grid_id = g.id AND k.compound_id IS NOT NULL AND k.hours_per_day = 24 GROUP BY g.code ORDER BY count(*) DESC LIMIT 1`
				);
				const required = async (clock: number) =>
					(await getGridDetail(tx, subdistrictId, grid.code, DAY, clock))!.compounds.reduce(
						(s, c) => s + c.properties.requiredShiftHours,
						0
					);
				const [raw] = await tx.query<{ morning: number; day: number }>(
					`SELECT sum(k.required_staff * 8 * least(k.hours_per_day / 8, 1))::int AS morning, sum(k.required_staff * k.hours_per_day)::int AS day
				 FROM checkpoint k JOIN grid g ON g.id = k.grid_id
				 WHERE g.code = $1 AND k.compound_id IS NOT NULL AND k.opens_on <= $2::date AND (k.closes_on IS NULL OR $2::date < k.closes_on)`,
					[grid.code, DAY]
				);
				expect(await required(at('10:00'))).toBe(raw.morning);
				expect(await required(at('23:55'))).toBe(raw.day);
				expect(raw.morning).toBeLessThan(raw.day);
			});
		});

		it('leaves a day entirely in the past unchanged', async () => {
			await withAllRows(async (tx, subdistrictId) => {
				const read = () =>
					tx.query(`SELECT * FROM grid_day WHERE day = '2020-02-27' ORDER BY grid_id`);
				const before = await read();
				await rebuild(tx, subdistrictId, '2020-02-27', at('10:00'));
				expect(await read()).toEqual(before);
				await ensureRollupCurrent(tx, subdistrictId, at('10:00'));
				expect(await read()).toEqual(before);
			});
		});
	}
);
