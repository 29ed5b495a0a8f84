import { getDb } from '$lib/server/db';
import { searchAudit } from '$lib/server/audit';
import type { PageServerLoad } from './$types';

const dateOrEmpty = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : '');

export const load: PageServerLoad = async ({ url, locals }) => {
	const filter = {
		actor: (url.searchParams.get('actor') ?? '').slice(0, 60),
		action: (url.searchParams.get('action') ?? '').slice(0, 60),
		from: dateOrEmpty(url.searchParams.get('from')),
		to: dateOrEmpty(url.searchParams.get('to'))
	};
	return { lang: locals.lang, filter, rows: await searchAudit(await getDb(), { ...filter, limit: 500 }) };
};
