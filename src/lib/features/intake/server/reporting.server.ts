import type { Queryable } from '../../../server/db/types';
import type { ReportingBoard, ReportingRow } from '../contract';

const FIGURES = ['observedHouseholds', 'observedPersons', 'screenedToday'] as const;

/**
 * The day's reporting board (上报与稽核): every community of the subdistrict, whether and when it sent
 * its daily report (which version, late or not), and each figure it reported against the count from
 * the records (the rollup) — a difference is listed by figure (纵向稽核). Communities that have not
 * reported come first.
 */
export async function reportingBoard(
	tx: Queryable,
	subdistrictId: number,
	date: string
): Promise<ReportingBoard> {
	const rows = await tx.query<{
		code: string;
		name: string;
		nameEn: string;
		reportedAt: string | null;
		version: number | null;
		late: boolean | null;
		rOH: number | null;
		rOP: number | null;
		rST: number | null;
		oh: number;
		op: number;
		st: number;
	}>(
		`SELECT c.code, c.name, c.name_en AS "nameEn",
		        to_char(r.reported_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') AS "reportedAt",
		        r.version, r.late,
		        r.observed_households AS "rOH", r.observed_persons AS "rOP", r.screened_today AS "rST",
		        coalesce(g.oh, 0)::int AS oh, coalesce(g.op, 0)::int AS op, coalesce(g.st, 0)::int AS st
		 FROM community c
		 LEFT JOIN daily_report r ON r.community_id = c.id AND r.report_date = $2::date
		 LEFT JOIN (
		   SELECT community_id, sum(observed_households) AS oh, sum(observed_persons) AS op, sum(screened_today) AS st
		   FROM grid_day WHERE subdistrict_id = $1 AND day = $2::date GROUP BY community_id
		 ) g ON g.community_id = c.id
		 WHERE c.subdistrict_id = $1
		 ORDER BY (r.id IS NOT NULL), c.code`,
		[subdistrictId, date]
	);
	const communities: ReportingRow[] = rows.map((r) => {
		const records = { observedHouseholds: r.oh, observedPersons: r.op, screenedToday: r.st };
		const reported =
			r.rOH === null
				? null
				: { observedHouseholds: r.rOH, observedPersons: r.rOP!, screenedToday: r.rST! };
		return {
			code: r.code,
			name: r.name,
			nameEn: r.nameEn,
			reportedAt: r.reportedAt,
			version: r.version,
			late: r.late ?? false,
			reported,
			records,
			differences: reported
				? FIGURES.filter((f) => reported[f] !== records[f]).map((figure) => ({
						figure,
						reported: reported[figure],
						records: records[figure]
					}))
				: []
		};
	});
	return {
		date,
		total: communities.length,
		reported: communities.filter((c) => c.reported).length,
		communities
	};
}
