import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/lib/server/db/types';
import { enterScope } from '../../src/lib/server/db/scope';
import { gridShifts, setCheckedIn } from '../../src/lib/server/shifts';
import { inRolledBackTransaction } from './database';

const NOW = Date.parse('2020-02-28T23:55:00+08:00');
const HOUR = 3_600_000;

/** As the app's role with a grid leader's scope (row-level security applies), rolled back after. */
const asLeaderOf = <T>(gridCode: string, work: (tx: Queryable) => Promise<T>) =>
	inRolledBackTransaction(async (tx) => {
		const [{ subdistrictId, gridId }] = await tx.query<{ subdistrictId: number; gridId: number }>(`SELECT subdistrict_id AS "subdistrictId", id AS "gridId" FROM grid WHERE code = $1`, [gridCode]);
		await enterScope(tx, { subdistrictId, personScope: 'grids', gridIds: [gridId] });
		await tx.query('SET LOCAL ROLE gridwatch_app');
		return work(tx);
	});

describe('shifts and arrivals', () => {
	it('lists the running and coming shifts of a grid in scope; marks arrivals only while a shift is open', async () => {
		await asLeaderOf('1203', async (tx) => {
			const shifts = await gridShifts(tx, '1203', NOW, 'zh-CN');
			expect(shifts.length).toBeGreaterThan(0);
			const running = shifts.filter((s) => Date.parse(s.startsAt) <= NOW);
			const coming = shifts.filter((s) => Date.parse(s.startsAt) > NOW);
			expect(running.length).toBeGreaterThan(0);
			expect(coming.length).toBeGreaterThan(0);
			expect(running.every((s) => s.open && Date.parse(s.endsAt) > NOW)).toBe(true);
			// The next day shift starts at 06:00, six hours on: not open yet.
			expect(coming.every((s) => !s.open && Date.parse(s.startsAt) <= NOW + 12 * HOUR)).toBe(true);
			expect(shifts.every((s) => s.duty === 'gate' && s.checkpointCode !== null && /\*/.test(s.staffName))).toBe(true);

			const target = running[0];
			const undo = await setCheckedIn(tx, target.id, !target.checkedIn, NOW);
			expect(undo).toMatchObject({ ok: true, gridCode: '1203', day: '2020-02-28', checkedIn: !target.checkedIn });
			expect((await gridShifts(tx, '1203', NOW, 'zh-CN')).find((s) => s.id === target.id)?.checkedIn).toBe(!target.checkedIn);
			// Too early (more than 30 minutes before the start), and over.
			expect(await setCheckedIn(tx, coming[0].id, true, NOW)).toMatchObject({ ok: false, status: 409 });
			expect(await setCheckedIn(tx, coming[0].id, true, Date.parse(coming[0].startsAt) - 20 * 60_000)).toMatchObject({ ok: true });
			expect(await setCheckedIn(tx, target.id, true, Date.parse(target.endsAt))).toMatchObject({ ok: false, status: 409 });
		});
	});

	it('hides another grid’s shifts: none listed, and marking one reads as unknown', async () => {
		const [otherShift] = await asLeaderOf('1203', (tx) => gridShifts(tx, '1203', NOW, 'zh-CN'));
		await asLeaderOf('0101', async (tx) => {
			expect(await gridShifts(tx, '1203', NOW, 'zh-CN')).toEqual([]);
			expect(await setCheckedIn(tx, otherShift.id, true, NOW)).toMatchObject({ ok: false, status: 404 });
			expect((await gridShifts(tx, '0101', NOW, 'zh-CN')).length).toBeGreaterThan(0);
		});
	});
});
