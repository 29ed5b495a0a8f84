import { error } from '@sveltejs/kit';
import { getDb } from '../../../server/db/index';
import { requireScope } from '../../../server/access';
import { withScope } from '../../../server/db/scope';
import { parseDate } from '../../../server/params';
import { getDataPeriod } from '../../../server/queries/areas';
import { now } from '../../../server/clock';
import { beijingDateTime } from '../../../core/time';
import { dailyReportHtml } from './daily.server';
import { gapCountsForDay } from '../../gaps/server/gaps.server';
import type { Lang } from '../../../core/i18n';
import { say } from '../../../server/say';
import { ensureRollupCurrent } from '../../../server/rollup';

/** The daily report's HTML for a request (?date=&lang=), or a 4xx naming what is wrong. */
export async function reportForRequest(
	url: URL,
	locals: App.Locals
): Promise<{ html: string; date: string }> {
	const scope = requireScope(locals);
	const db = await getDb();
	const clock = await now(db);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const langParam = url.searchParams.get('lang');
	const lang: Lang = langParam === 'en' ? 'en' : langParam === 'zh' ? 'zh-CN' : locals.lang;
	const generated = beijingDateTime(clock);
	const gaps = await gapCountsForDay(db, scope.subdistrictId, date, clock);
	const html = await withScope(db, scope, (tx) =>
		dailyReportHtml(tx, date, lang, generated, scope.subdistrictId, gaps)
	);
	if (!html) error(404, { message: say().core_no_data_for_day({ date }), code: 'no_data' });
	return { html, date };
}
