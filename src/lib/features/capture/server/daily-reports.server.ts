import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
import { writeAudit } from '../../../server/audit';
import { refreshAfterWrite } from '../../../server/rollup';
import { badField, isPlainText } from '../../../server/http';
import { say } from '../../../server/say';
import { syncGaps } from '../../gaps/server/gaps.server';
import type { GapSettings } from '../../gaps/model/gaps';
import type { Role } from '../../auth/model/roles';
import { beijingDay } from '../../../core/time';
import {
	DAILY_FIGURES,
	type DailyFigure,
	type DailyFigures,
	type DailyReportState,
	type DailyReportVersion
} from '../contract';

const count = () =>
	v.pipe(
		v.number(() => say().capture_report_count()),
		v.integer(() => say().capture_report_count()),
		v.minValue(0, () => say().capture_report_count()),
		v.maxValue(10_000_000, () => say().capture_report_count())
	);

/** POST /api/daily-reports: what a community sends. No `figures`: the prefilled ones are confirmed. */
export const DailyReportBody = v.object({
	community: v.pipe(
		v.string(() => say().capture_report_community()),
		v.regex(/^\d{12}$/, () => say().capture_report_community())
	),
	date: v.pipe(
		v.string(() => say().capture_report_date()),
		v.regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/, () => say().capture_report_date()),
		v.check(
			(d) => beijingDay(Date.parse(`${d}T12:00:00+08:00`)) === d,
			() => say().capture_report_date()
		)
	),
	figures: v.optional(
		v.strictObject(
			{
				observedHouseholds: v.optional(count()),
				observedPersons: v.optional(count()),
				screenedToday: v.optional(count())
			},
			() => say().capture_report_figures()
		)
	),
	reasons: v.optional(
		v.record(
			v.picklist(DAILY_FIGURES, () => say().capture_report_figures()),
			v.pipe(
				v.string(() => say().capture_report_reason()),
				v.check(isPlainText, () => say().core_control_characters()),
				v.trim(),
				v.maxLength(200, () => say().capture_report_reason())
			)
		)
	)
});
export type DailyReportInput = v.InferOutput<typeof DailyReportBody>;

/** Who may send a community's report: its community lead (all its grids in scope) and data officers. */
export async function reportableCommunity(
	tx: Queryable,
	scope: AccessScope,
	role: Role,
	code: string
): Promise<{ id: number; code: string; name: string; nameEn: string }> {
	const [community] = await tx.query<{
		id: number;
		code: string;
		name: string;
		nameEn: string;
		gridIds: number[];
	}>(
		`SELECT c.id, c.code, c.name, c.name_en AS "nameEn", coalesce(array_agg(g.id) FILTER (WHERE g.id IS NOT NULL), '{}') AS "gridIds"
		 FROM community c LEFT JOIN grid g ON g.community_id = c.id
		 WHERE c.subdistrict_id = $1 AND c.code = $2 GROUP BY c.id`,
		[scope.subdistrictId, code]
	);
	if (!community) error(404, { message: say().core_no_community({ code }), code: 'not_found' });
	const mine =
		(role === 'data_officer' && scope.personScope === 'all') ||
		(role === 'community_lead' &&
			community.gridIds.length > 0 &&
			community.gridIds.every((id) => scope.gridIds.includes(id)));
	if (!mine) error(403, { message: say().capture_report_not_yours({ code }), code: 'forbidden' });
	const { gridIds: _grids, ...rest } = community;
	return rest;
}

/** Whether the caller may send this community's report (see reportableCommunity). */
export async function mayReport(
	tx: Queryable,
	scope: AccessScope,
	role: Role | null,
	code: string
) {
	if (role === null) return false;
	try {
		await reportableCommunity(tx, scope, role, code);
		return true;
	} catch (cause) {
		if ((cause as { status?: number }).status === 403) return false;
		throw cause;
	}
}

/** The community's figures for the day from the records (the rollup): what the form is prefilled with. */
export async function prefilledFigures(
	tx: Queryable,
	communityId: number,
	date: string
): Promise<DailyFigures> {
	const [row] = await tx.query<DailyFigures>(
		`SELECT coalesce(sum(observed_households), 0)::int AS "observedHouseholds",
		        coalesce(sum(observed_persons), 0)::int AS "observedPersons",
		        coalesce(sum(screened_today), 0)::int AS "screenedToday"
		 FROM grid_day WHERE community_id = $1 AND day = $2::date`,
		[communityId, date]
	);
	return row;
}

/** The day's report as it stands: prefilled figures, the current version, and every version sent. */
export async function dailyReportState(
	tx: Queryable,
	community: { id: number; code: string },
	date: string
): Promise<DailyReportState> {
	const prefilled = await prefilledFigures(tx, community.id, date);
	const versions = await tx.query<DailyReportVersion>(
		`SELECT version, reported_at AS "reportedAt", late, figures, prefilled, reasons,
		        (SELECT display_name FROM app_user u WHERE u.id = r.reported_by) AS "reportedBy"
		 FROM daily_report_version r WHERE community_id = $1 AND report_date = $2::date ORDER BY version`,
		[community.id, date]
	);
	const [current] = await tx.query<
		{ version: number; reportedAt: string; late: boolean } & DailyFigures
	>(
		`SELECT version, reported_at AS "reportedAt", late, observed_households AS "observedHouseholds",
		        observed_persons AS "observedPersons", screened_today AS "screenedToday"
		 FROM daily_report WHERE community_id = $1 AND report_date = $2::date`,
		[community.id, date]
	);
	return {
		community: community.code,
		date,
		prefilled,
		current: current
			? {
					version: current.version,
					reportedAt: new Date(current.reportedAt).toISOString(),
					late: current.late,
					figures: {
						observedHouseholds: current.observedHouseholds,
						observedPersons: current.observedPersons,
						screenedToday: current.screenedToday
					}
				}
			: null,
		versions: versions.map((r) => ({ ...r, reportedAt: new Date(r.reportedAt).toISOString() }))
	};
}

/**
 * Sends (or corrects) a community's daily report: each figure that differs from the prefilled one
 * needs its reason; a report after the day's cut-off is late; a correction keeps the earlier version.
 * The figures on the map and the report-missing rule follow at once.
 */
export async function sendDailyReport(
	tx: Queryable,
	scope: AccessScope,
	community: { id: number; code: string },
	input: DailyReportInput,
	actor: { id: number; username: string; address: string },
	context: {
		period: { first: string; last: string };
		clock: number;
		/** When it was made: the clock, or earlier when it waited in a phone's outbox. */
		at: number;
		settings: GapSettings;
	}
): Promise<DailyReportState> {
	const { date } = input;
	const today = beijingDay(context.at);
	if (date > today) badField('date', say().capture_report_future({ today }));
	if (date < context.period.first)
		badField('date', say().capture_arrived_before_period({ first: context.period.first }));
	const prefilled = await prefilledFigures(tx, community.id, date);
	const figures: DailyFigures = { ...prefilled, ...(input.figures ?? {}) };
	const reasons: Partial<Record<DailyFigure, string>> = {};
	for (const key of DAILY_FIGURES) {
		if (figures[key] === prefilled[key]) continue;
		const reason = input.reasons?.[key]?.trim();
		if (!reason)
			badField(
				`reasons.${key}`,
				say().capture_report_reason_needed({ prefilled: String(prefilled[key]) })
			);
		reasons[key] = reason;
	}
	const cutoff = Date.parse(`${date}T${context.settings.reportCutoff}:00+08:00`);
	// Late is the moment it was made against the cut-off (a report queued offline at 21:00 is on time).
	const late = context.at > cutoff;
	// One report at a time per community and day (two first reports at once: the second waits, then corrects).
	await tx.query(`SELECT pg_advisory_xact_lock(hashtext('daily_report'), $1)`, [community.id]);
	const [existing] = await tx.query<{ version: number }>(
		'SELECT version FROM daily_report WHERE community_id = $1 AND report_date = $2::date',
		[community.id, date]
	);
	if (existing) {
		// A report loaded from elsewhere (an import, the demo) has no version row yet: keep it as sent.
		await tx.query(
			`INSERT INTO daily_report_version (subdistrict_id, community_id, report_date, version, reported_at, reported_by, late, figures, prefilled, reasons)
			 SELECT subdistrict_id, community_id, report_date, version, reported_at, reported_by, late,
			        jsonb_build_object('observedHouseholds', observed_households, 'observedPersons', observed_persons, 'screenedToday', screened_today),
			        jsonb_build_object('observedHouseholds', observed_households, 'observedPersons', observed_persons, 'screenedToday', screened_today),
			        '{}'::jsonb
			 FROM daily_report r WHERE community_id = $1 AND report_date = $2::date
			   AND NOT EXISTS (SELECT 1 FROM daily_report_version v WHERE v.community_id = r.community_id AND v.report_date = r.report_date)`,
			[community.id, date]
		);
	}
	const version = (existing?.version ?? 0) + 1;
	const values = [
		scope.subdistrictId,
		community.id,
		date,
		context.at,
		figures.observedHouseholds,
		figures.observedPersons,
		figures.screenedToday,
		version,
		late,
		actor.id
	];
	if (existing)
		await tx.query(
			`UPDATE daily_report SET reported_at = to_timestamp($3 / 1000.0), observed_households = $4, observed_persons = $5,
			        screened_today = $6, version = $7, reported_by = $8
			 WHERE community_id = $1 AND report_date = $2::date`,
			[
				community.id,
				date,
				context.at,
				figures.observedHouseholds,
				figures.observedPersons,
				figures.screenedToday,
				version,
				actor.id
			]
		);
	else
		await tx.query(
			`INSERT INTO daily_report (subdistrict_id, community_id, report_date, reported_at, observed_households, observed_persons,
			                           screened_today, version, late, reported_by)
			 VALUES ($1, $2, $3::date, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9, $10)`,
			values
		);
	await tx.query(
		`INSERT INTO daily_report_version (subdistrict_id, community_id, report_date, version, reported_at, reported_by, late, figures, prefilled, reasons)
		 VALUES ($1, $2, $3::date, $4, to_timestamp($5 / 1000.0), $6, $7, $8::text::jsonb, $9::text::jsonb, $10::text::jsonb)`,
		[
			scope.subdistrictId,
			community.id,
			date,
			version,
			context.at,
			actor.id,
			late,
			JSON.stringify(figures),
			JSON.stringify(prefilled),
			JSON.stringify(reasons)
		]
	);
	// The community's grids' "last report" from that day on, then the report-missing rule for the whole subdistrict.
	const grids = await tx.query<{ code: string }>('SELECT code FROM grid WHERE community_id = $1', [
		community.id
	]);
	await refreshAfterWrite(
		tx,
		scope.subdistrictId,
		context.period,
		date,
		grids.map((g) => g.code),
		true,
		context.clock
	);
	await syncGaps(tx, scope.subdistrictId, context.clock, { settings: context.settings });
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: version === 1 ? 'daily_report.send' : 'daily_report.correct',
		targetKind: 'community',
		targetId: community.code,
		detail: { date, version, late, figures, corrected: Object.keys(reasons) },
		address: actor.address
	});
	return dailyReportState(tx, community, date);
}
