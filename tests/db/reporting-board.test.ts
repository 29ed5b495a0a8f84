import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';
import { reportingBoard } from '../../src/lib/features/intake/server/reporting.server';
import { prefilledFigures } from '../../src/lib/features/capture/server/daily-reports.server';

describe('intake: the reporting board (上报与稽核)', () => {
	it('lists every community, those without a report first, and each reported figure that differs from the records', async () => {
		await inRolledBackTransaction(async (tx) => {
			const [day] = await tx.query<{
				subdistrictId: number;
				date: string;
				reports: number;
				communities: number;
			}>(
				`SELECT (SELECT id FROM subdistrict LIMIT 1) AS "subdistrictId", max(report_date)::text AS date,
				        (SELECT count(*)::int FROM daily_report WHERE report_date = (SELECT max(report_date) FROM daily_report)) AS reports,
				        (SELECT count(*)::int FROM community) AS communities
				 FROM daily_report`
			);
			const board = await reportingBoard(tx, day.subdistrictId, day.date);
			expect(board.total).toBe(day.communities);
			expect(board.reported).toBe(day.reports);
			expect(board.reported).toBeLessThan(board.total);
			const missing = board.communities.filter((c) => !c.reported);
			expect(board.communities.slice(0, missing.length)).toEqual(missing);
			expect(missing.every((c) => c.reportedAt === null && c.differences.length === 0)).toBe(true);
			// The records' figures are the ones the community's form is prefilled with.
			const first = board.communities.find((c) => c.reported)!;
			const [{ id }] = await tx.query<{ id: number }>('SELECT id FROM community WHERE code = $1', [
				first.code
			]);
			expect(first.records).toEqual(await prefilledFigures(tx, id, day.date));
			// A reported figure off by 7 is listed, with both values.
			await tx.query(
				`UPDATE daily_report SET observed_persons = $3 WHERE community_id = $1 AND report_date = $2::date`,
				[id, day.date, first.records.observedPersons + 7]
			);
			await tx.query(
				`UPDATE daily_report SET observed_households = $3, screened_today = $4 WHERE community_id = $1 AND report_date = $2::date`,
				[id, day.date, first.records.observedHouseholds, first.records.screenedToday]
			);
			const after = await reportingBoard(tx, day.subdistrictId, day.date);
			expect(after.communities.find((c) => c.code === first.code)!.differences).toEqual([
				{
					figure: 'observedPersons',
					reported: first.records.observedPersons + 7,
					records: first.records.observedPersons
				}
			]);
		});
	});
});
