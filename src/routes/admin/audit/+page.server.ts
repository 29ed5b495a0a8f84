import { getDb } from '$lib/server/db';
import { searchAudit } from '$lib/server/audit';
import { isCalendarDay } from '$lib/core/time';
import type { PageServerLoad } from './$types';

/** A text filter as typed, without control characters (the database refuses NUL), at most 60 characters. */
const textFilter = (raw: string | null) =>
	(raw ?? '')
		.replace(/\p{Cc}/gu, '')
		.slice(0, 60)
		.toWellFormed();

export const load: PageServerLoad = async ({ url, locals }) => {
	// A date that is not a calendar day is left out of the search and named on the page.
	const invalid: string[] = [];
	const day = (name: 'from' | 'to') => {
		const raw = url.searchParams.get(name) ?? '';
		if (raw === '' || isCalendarDay(raw)) return raw;
		invalid.push(`${name}=${textFilter(raw).slice(0, 20)}`);
		return '';
	};
	const filter = {
		actor: textFilter(url.searchParams.get('actor')),
		action: textFilter(url.searchParams.get('action')),
		from: day('from'),
		to: day('to')
	};
	return {
		lang: locals.lang,
		filter,
		invalid,
		rows: await searchAudit(await getDb(), { ...filter, limit: 500 })
	};
};
