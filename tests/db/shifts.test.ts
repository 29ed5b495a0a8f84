import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/lib/server/db/types';
import { enterScope } from '../../src/lib/server/db/scope';
import { gridShifts, setCheckedIn } from '../../src/lib/features/shifts/server/shifts.server';
import type { ShiftView } from '../../src/lib/features/shifts/contract';
import { inRolledBackTransaction } from './database';

const NOW = Date.parse('2020-02-28T23:55:00+08:00');
const HOUR = 3_600_000;

/** As the app's role with a grid leader's scope (row-level security applies), rolled back after. */
const asLeaderOf = <T>(
	gridCode: string,
	work: (tx: Queryable, list: (code: string, at?: number) => Promise<ShiftView[]>) => Promise<T>
) =>
	inRolledBackTransaction(async (tx) => {
		const grids = await tx.query<{ subdistrictId: number; id: number; code: string }>(
			`SELECT subdistrict_id AS "subdistrictId", id, code FROM grid`
		);
		const own = grids.find((g) => g.code === gridCode)!;
		await enterScope(tx, {
			subdistrictId: own.subdistrictId,
			personScope: 'grids',
			gridIds: [own.id]
		});
		await tx.query('SET LOCAL ROLE gridwatch_app');
		const list = (code: string, at = NOW) =>
			gridShifts(tx, own.subdistrictId, grids.find((g) => g.code === code)!.id, at, 'zh-CN');
		return work(tx, list);
	});

describe('shifts and arrivals', () => {
	it('lists the running and coming shifts of a grid in scope; marks arrivals only while a shift is open', async () => {
		await asLeaderOf('1203', async (tx, list) => {
			const shifts = await list('1203');
			expect(shifts.length).toBeGreaterThan(0);
			const running = shifts.filter((s) => Date.parse(s.startsAt) <= NOW);
			const coming = shifts.filter((s) => Date.parse(s.startsAt) > NOW);
			expect(running.length).toBeGreaterThan(0);
			expect(coming.length).toBeGreaterThan(0);
			expect(running.every((s) => s.open && Date.parse(s.endsAt) > NOW)).toBe(true);
			// The next day shift starts at 06:00, six hours on: not open yet.
			expect(coming.every((s) => !s.open && Date.parse(s.startsAt) <= NOW + 12 * HOUR)).toBe(true);
			expect(
				shifts.every(
					(s) => s.duty === 'gate' && s.checkpointCode !== null && /\*/.test(s.staffName)
				)
			).toBe(true);

			const target = running[0];
			const undo = await setCheckedIn(tx, target.id, !target.checkedIn, NOW);
			expect(undo).toMatchObject({
				ok: true,
				gridCode: '1203',
				day: '2020-02-28',
				checkedIn: !target.checkedIn
			});
			expect((await list('1203')).find((s) => s.id === target.id)?.checkedIn).toBe(
				!target.checkedIn
			);
			// A second tap with the same answer changes nothing.
			expect(await setCheckedIn(tx, target.id, !target.checkedIn, NOW)).toMatchObject({
				ok: true,
				changed: false
			});
			// Too early (more than 30 minutes before the start), and over.
			expect(await setCheckedIn(tx, coming[0].id, true, NOW)).toMatchObject({
				ok: false,
				status: 409
			});
			expect(
				await setCheckedIn(tx, coming[0].id, true, Date.parse(coming[0].startsAt) - 20 * 60_000)
			).toMatchObject({ ok: true });
			expect(await setCheckedIn(tx, target.id, true, Date.parse(target.endsAt))).toMatchObject({
				ok: false,
				status: 409
			});
		});
	});

	it('hides another grid’s shifts: none listed, and marking one reads as unknown', async () => {
		const [otherShift] = await asLeaderOf('1203', (_tx, list) => list('1203'));
		await asLeaderOf('0101', async (tx, list) => {
			expect(await list('1203')).toEqual([]);
			expect(await setCheckedIn(tx, otherShift.id, true, NOW)).toMatchObject({
				ok: false,
				status: 404
			});
			expect((await list('0101')).length).toBeGreaterThan(0);
		});
	});

	it('lists everyone on duty at the grid’s posts, also people who belong to another grid of the community', async () => {
		// Read without any scope limit (as the rules do): every shift of 1203 now and in the next 12 hours.
		const all = await inRolledBackTransaction(async (tx) => {
			const [{ subdistrictId }] = await tx.query<{ subdistrictId: number }>(
				`SELECT subdistrict_id AS "subdistrictId" FROM grid WHERE code = '1203'`
			);
			await enterScope(tx, { subdistrictId, personScope: 'all', gridIds: [] });
			return tx.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM shift s JOIN grid g ON g.id = s.grid_id
				 WHERE g.code = '1203' AND s.ends_at > to_timestamp($1 / 1000.0) AND s.starts_at <= to_timestamp($2 / 1000.0)`,
				[NOW, NOW + 12 * HOUR]
			);
		});
		const [{ n }] = all;
		expect(n).toBeGreaterThan(0);
		await asLeaderOf('1203', async (_tx, list) => expect((await list('1203')).length).toBe(n));
	});

	it('the demo rosters nobody at two posts at once', async () => {
		const [row] = await inRolledBackTransaction(async (tx) => {
			const [{ subdistrictId }] = await tx.query<{ subdistrictId: number }>(
				`SELECT subdistrict_id AS "subdistrictId" FROM grid WHERE code = '1203'`
			);
			await enterScope(tx, { subdistrictId, personScope: 'all', gridIds: [] });
			return tx.query<{ shifts: number; clashes: number }>(
				`SELECT (SELECT count(*)::int FROM shift) AS shifts,
				        (SELECT count(*)::int FROM shift a JOIN shift b ON b.staff_id = a.staff_id AND b.id > a.id
				          AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at) AS clashes`
			);
		});
		expect(row.shifts).toBeGreaterThan(40_000);
		expect(row.clashes).toBe(0);
	});
});
