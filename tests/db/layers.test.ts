import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/types';
import { withScope } from '../../src/lib/server/db/scope';
import {
	getCheckpoints,
	getGridDetail,
	getShiftStaffingSeries,
	getObservedHexagons,
	getPlaces,
	getResumption
} from '../../src/lib/server/queries/layers';
import { getAreaFeatures } from '../../src/lib/server/queries/areas';
import { testDb } from './database';

/** The demo's clock: 23:55 on its last day (src/lib/server/clock.ts). */
const DEMO_NOW = Date.parse('2020-02-28T23:55:00+08:00');

describe('map layer queries', () => {
	let db: Db;
	let subdistrictId: number;
	beforeAll(async () => {
		db = await testDb();
		[{ id: subdistrictId }] = await db.query<{ id: number }>('SELECT id FROM subdistrict');
	});
	const asLeader = <T>(work: Parameters<typeof withScope<T>>[2]) =>
		withScope(db, { subdistrictId, personScope: 'none', gridIds: [] }, work);

	it('gives each checkpoint its staffing for one shift, the same for an aggregates-only role as from the raw shifts', async () => {
		const night = await asLeader((tx) => getCheckpoints(tx, subdistrictId, '2020-02-20', 'night'));
		const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM checkpoint');
		expect(night).toHaveLength(n);
		// Independently: checked-in people per checkpoint on the night shift starting 20 Feb 22:00 Beijing time.
		const raw = await db.query<{ code: string; present: number; required: number }>(
			`SELECT c.code, count(*) FILTER (WHERE s.checked_in)::int AS present, c.required_staff AS required
			 FROM shift s JOIN checkpoint c ON c.id = s.checkpoint_id
			 WHERE s.starts_at = '2020-02-20 22:00:00+08' GROUP BY c.code, c.required_staff`
		);
		expect(raw.length).toBeGreaterThan(10);
		for (const r of raw) {
			const point = night.find((p) => p.code === r.code)!;
			expect(point.present, r.code).toBe(r.present);
			expect(point.status).toBe(
				r.present >= r.required ? 'full' : r.present > 0 ? 'short' : 'empty'
			);
		}
		// Posts held only by day (8 h) or day and evening (16 h) are not held at night.
		const dayOnly = await db.query<{ code: string }>(
			"SELECT code FROM checkpoint WHERE hours_per_day < 24 AND opens_on <= '2020-02-20'"
		);
		for (const { code } of dayOnly)
			expect(night.find((p) => p.code === code)!.status).toBe('not_held');
		expect(night.some((p) => p.status === 'short' || p.status === 'empty')).toBe(true);
		// Before any checkpoint opened, none is held.
		const early = await asLeader((tx) => getCheckpoints(tx, subdistrictId, '2020-01-20', 'day'));
		expect(early.every((p) => p.status === 'not_held')).toBe(true);
	});

	it('gives one shift’s staffing per day as the checkpoints layer counts it, and the night differs from the whole day', async () => {
		const series = await asLeader((tx) =>
			getShiftStaffingSeries(tx, subdistrictId, '2020-02-28', 14, 'night')
		);
		expect(series.map((d) => d.day)).toEqual(
			Array.from({ length: 14 }, (_, i) => `2020-02-${String(15 + i).padStart(2, '0')}`)
		);
		for (const day of ['2020-02-27', '2020-02-28']) {
			// Independently: the checkpoints layer of that night, posts held, present capped at the need.
			const held = (await asLeader((tx) => getCheckpoints(tx, subdistrictId, day, 'night'))).filter(
				(c) => c.status !== 'not_held'
			);
			const entry = series.find((d) => d.day === day)!;
			expect(entry.requiredStaff).toBe(held.reduce((s, c) => s + c.requiredStaff, 0));
			expect(entry.staffedStaff).toBe(
				held.reduce((s, c) => s + Math.min(c.present, c.requiredStaff), 0)
			);
			expect(entry.requiredStaff).toBeGreaterThan(0);
		}
		// The night of 28 Feb is not the whole day of 28 Feb (the audit's 91.3 % against 93.9 %).
		const [whole] = await db.query<{ staffed: number; required: number }>(
			"SELECT sum(staffed_shift_hours)::float8 AS staffed, sum(required_shift_hours)::float8 AS required FROM grid_day WHERE day = '2020-02-28'"
		);
		const last = series.at(-1)!;
		expect(last.staffedStaff / last.requiredStaff).not.toBeCloseTo(
			whole.staffed / whole.required,
			3
		);
		// Before any post opened there is nothing to staff.
		const early = await asLeader((tx) =>
			getShiftStaffingSeries(tx, subdistrictId, '2020-01-21', 2, 'day')
		);
		expect(early).toEqual([
			{ day: '2020-01-20', requiredStaff: 0, staffedStaff: 0 },
			{ day: '2020-01-21', requiredStaff: 0, staffedStaff: 0 }
		]);
	});

	it('gives enterprises and projects their resumption status on the day', async () => {
		const before = await getResumption(db, subdistrictId, 'enterprise', '2020-02-09');
		const after = await getResumption(db, subdistrictId, 'enterprise', '2020-02-28');
		expect(before).toHaveLength(3_611);
		expect(before.filter((e) => e.resumed)).toHaveLength(0);
		const [{ n }] = await db.query<{ n: number }>(
			"SELECT count(*)::int AS n FROM enterprise WHERE resumed_on <= '2020-02-28'"
		);
		expect(after.filter((e) => e.resumed)).toHaveLength(n);
		expect(after.filter((e) => !e.resumed).every((e) => e.arrived === 0)).toBe(true);
		const projects = await getResumption(db, subdistrictId, 'project', '2020-02-28');
		expect(projects).toHaveLength(75);
		expect(projects.every((p) => typeof p.progressPct === 'number')).toBe(true);
	});

	it('bins observed households into hexagons whose total is the subdistrict total, with small counts withheld on request', async () => {
		const hexagons = await asLeader((tx) => getObservedHexagons(tx, subdistrictId, '2020-02-05'));
		const grids = await getAreaFeatures(db, 'grid', '2020-02-05');
		const total = grids.reduce((s, g) => s + g.properties.observedHouseholds, 0);
		expect(total).toBeGreaterThan(100);
		expect(hexagons.reduce((s, h) => s + (h.households ?? 0), 0)).toBe(total);
		expect(hexagons.every((h) => h.ring.length === 7)).toBe(true);
		const suppressed = await asLeader((tx) =>
			getObservedHexagons(tx, subdistrictId, '2020-02-05', 3)
		);
		expect(suppressed.some((h) => h.households === null)).toBe(true);
		// A wall's cells: withheld below k, otherwise rounded down to a multiple of k (suppression.ts).
		expect(
			suppressed.every(
				(h) => h.households === null || (h.households >= 3 && h.households % 3 === 0)
			)
		).toBe(true);
		const exact = new Map(hexagons.map((h) => [`${h.q},${h.r}`, h.households]));
		expect(
			suppressed.some((h) => h.households !== null && h.households !== exact.get(`${h.q},${h.r}`))
		).toBe(true);
	});

	it('drills a grid down to its compounds and buildings, whose figures add up to the grid’s', async () => {
		const [grid] = await db.query<{ code: string }>(
			'SELECT g.code FROM grid g JOIN building b ON b.grid_id = g.id AND b.compound_id IS NOT NULL GROUP BY g.code ORDER BY count(*) DESC LIMIT 1'
		);
		const detail = (await asLeader((tx) =>
			getGridDetail(tx, subdistrictId, grid.code, '2020-02-10', DEMO_NOW)
		))!;
		expect(detail.compounds.length).toBeGreaterThan(0);
		expect(detail.buildings.length).toBeGreaterThan(0);
		const gridRow = (await getAreaFeatures(db, 'grid', '2020-02-10')).find(
			(g) => g.properties.code === grid.code
		)!;
		// Households in buildings add up to the grid's registered households.
		expect(detail.buildings.reduce((s, b) => s + b.households, 0)).toBe(
			gridRow.properties.householdsRegistered
		);
		// Compounds hold a part of them; their observed and due counts cannot exceed the grid's.
		const sum = (
			k: 'householdsRegistered' | 'observedHouseholds' | 'returneesDue' | 'returneesScreened'
		) => detail.compounds.reduce((s, c) => s + c.properties[k], 0);
		const inCompounds = detail.buildings
			.filter((b) => b.compoundCode !== null)
			.reduce((s, b) => s + b.households, 0);
		expect(sum('householdsRegistered')).toBe(inCompounds);
		expect(sum('observedHouseholds')).toBeLessThanOrEqual(gridRow.properties.observedHouseholds);
		expect(sum('returneesScreened')).toBeLessThanOrEqual(sum('returneesDue'));
		expect(sum('returneesDue')).toBeLessThanOrEqual(gridRow.properties.returneesDue);
		for (const c of detail.compounds) {
			expect(c.geometry).toMatchObject({ type: expect.stringMatching(/Polygon/) });
			expect(c.properties.staffedShiftHours).toBeLessThanOrEqual(c.properties.requiredShiftHours);
		}
		expect(
			await asLeader((tx) => getGridDetail(tx, subdistrictId, '9999', '2020-02-10', DEMO_NOW))
		).toBeNull();
	});

	it('gives the caller back its own scope after an aggregate, and the app may not enter a system scope or make temporary tables', async () => {
		const seen = await asLeader(async (tx) => {
			const before = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
			await getCheckpoints(tx, subdistrictId, '2020-02-20', 'night');
			await getObservedHexagons(tx, subdistrictId, '2020-02-05');
			const after = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
			return { before, after };
		});
		expect(seen).toEqual({ before: 0, after: 0 });
		await expect(asLeader((tx) => tx.query('SELECT system_scope_enter(1)'))).rejects.toThrow(
			/permission denied/
		);
		await expect(
			asLeader((tx) => tx.query('CREATE TEMP TABLE request_scope (token text)'))
		).rejects.toThrow(/permission denied/);
	});

	it('gives compound figures that are the sums of their buildings, not zeros', async () => {
		const [grid] = await db.query<{ code: string }>(
			'SELECT g.code FROM grid g JOIN building b ON b.grid_id = g.id AND b.compound_id IS NOT NULL GROUP BY g.code ORDER BY count(*) DESC LIMIT 1'
		);
		const detail = (await asLeader((tx) =>
			getGridDetail(tx, subdistrictId, grid.code, '2020-02-28', DEMO_NOW)
		))!;
		const [raw] = await db.query<{ households: number; due: number }>(
			`SELECT count(DISTINCT h.id)::int AS households,
			        count(p.id) FILTER (WHERE p.returnee AND p.arrival_date <= '2020-02-28')::int AS due
			 FROM household h JOIN building b ON b.id = h.building_id JOIN grid g ON g.id = h.grid_id
			 LEFT JOIN person p ON p.household_id = h.id
			 WHERE g.code = $1 AND b.compound_id IS NOT NULL`,
			[grid.code]
		);
		const sum = (k: 'householdsRegistered' | 'returneesDue') =>
			detail.compounds.reduce((s, c) => s + c.properties[k], 0);
		expect(raw.households).toBeGreaterThan(0);
		expect(sum('householdsRegistered')).toBe(raw.households);
		expect(sum('returneesDue')).toBe(raw.due);
	});

	it('lists communities, grids and compounds for search, each with an extent', async () => {
		const places = await getPlaces(db, subdistrictId);
		expect(places.filter((p) => p.kind === 'community')).toHaveLength(25);
		expect(places.filter((p) => p.kind === 'grid')).toHaveLength(99);
		expect(places.filter((p) => p.kind === 'compound')).toHaveLength(64);
		expect(places.find((p) => p.name === '清雅苑')).toMatchObject({
			kind: 'compound',
			gridCode: expect.stringMatching(/^\d{4}$/)
		});
		for (const p of places) expect(p.bbox[0] < p.bbox[2] && p.bbox[1] < p.bbox[3]).toBe(true);
	});
});
