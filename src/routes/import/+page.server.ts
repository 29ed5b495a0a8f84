import { withScope } from '$lib/server/db/scope';
import { beijingDay } from '$lib/core/time';
import { listImports } from '$lib/features/intake/server/imports.server';
import { reportingBoard } from '$lib/features/intake/server/reporting.server';
import { intakeContext } from '$lib/features/intake/server/scope.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, getClientAddress }) => {
	const { db, scope, context } = await intakeContext(locals, getClientAddress);
	const period = context.period;
	// The board's day: ?date= within the data, else today (the data's last day when it ends earlier).
	const asked = url.searchParams.get('date') ?? '';
	const today = beijingDay(context.clock);
	const date = !period
		? null
		: /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked >= period.first && asked <= period.last
			? asked
			: today < period.last
				? today
				: period.last;
	return withScope(db, scope, async (tx) => ({
		lang: locals.lang,
		period,
		...(await listImports(tx)),
		board: date ? await reportingBoard(tx, scope.subdistrictId, date) : null
	}));
};
