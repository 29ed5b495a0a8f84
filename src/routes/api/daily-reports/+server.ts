import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getDataPeriod } from '$lib/server/queries/areas';
import { now } from '$lib/server/clock';
import { loadGapSettings } from '$lib/features/gaps/server/gaps.server';
import { checkFields, madeAt, readJsonObject } from '$lib/server/http';
import { writeOnce } from '$lib/server/idempotency';
import {
	DailyReportBody,
	dailyReportState,
	reportableCommunity,
	sendDailyReport
} from '$lib/features/capture/server/daily-reports.server';
import type { DailyReportState } from '$lib/features/capture/contract';
import { beijingDay } from '$lib/core/time';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

/**
 * GET /api/daily-reports?community=CODE&date=YYYY-MM-DD → the day's report: the figures prefilled from
 * the records, the current version and every version sent. Community leads (their community) and
 * data officers.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	const db = await getDb();
	const date = url.searchParams.get('date') ?? beijingDay(await now(db));
	if (
		!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(date) ||
		beijingDay(Date.parse(`${date}T12:00:00+08:00`)) !== date
	)
		error(400, {
			message: say().core_bad_field({ field: 'date', reason: say().capture_report_date() }),
			code: 'bad_parameter'
		});
	const state = await withScope(db, scope, async (tx) => {
		const community = await reportableCommunity(
			tx,
			scope,
			user.role,
			url.searchParams.get('community') ?? ''
		);
		return dailyReportState(tx, community, date);
	});
	return json(state satisfies DailyReportState);
};

/**
 * POST /api/daily-reports {community, date, figures?, reasons?} → 201 DailyReportState. No `figures`
 * confirms the prefilled ones; a figure that differs needs `reasons.<figure>`; a second report for the
 * day is a correction that keeps the first. Idempotency-Key as every phone write. Audited.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	const raw = await readJsonObject(request);
	const body = checkFields(DailyReportBody, raw);
	const db = await getDb();
	const clock = await now(db);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const settings = await loadGapSettings(db);
	const actor = { id: user.id, username: user.username, address: getClientAddress() };
	return writeOnce(
		db,
		scope,
		{ request, userId: user.id, route: 'POST /api/daily-reports', input: body },
		async (tx) => {
			const community = await reportableCommunity(tx, scope, user.role, body.community);
			return {
				status: 201,
				body: await sendDailyReport(tx, scope, community, body, actor, {
					period,
					clock,
					at: madeAt(request, clock),
					settings
				})
			};
		}
	);
};
