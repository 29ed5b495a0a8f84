import { error } from '@sveltejs/kit';
import type { AreaLevel } from './queries/areas';
import { SHIFTS, type ShiftName } from '../core/time';
import { isCalendarDay } from '../core/time';
import { say } from './say';

/** A 400 naming the parameter and what is wrong with it (`reason`, said in the request's language). */
function badParameter(name: string, reason: string): never {
	error(400, {
		message: say().core_bad_parameter({ name, reason }),
		code: 'bad_parameter'
	});
}

export function parseLevel(url: URL): AreaLevel {
	const raw = url.searchParams.get('level');
	if (raw === null || raw === '') return 'grid';
	if (raw !== 'community' && raw !== 'grid')
		badParameter('level', say().core_param_level({ got: raw.slice(0, 40) }));
	return raw;
}

/** A calendar date YYYY-MM-DD inside the data period; the period's last day when absent. */
export function parseDate(url: URL, period: { first: string; last: string }): string {
	const raw = url.searchParams.get('date');
	if (raw === null || raw === '') return period.last;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw))
		badParameter('date', say().core_param_date_format({ got: raw.slice(0, 40) }));
	if (!isCalendarDay(raw)) badParameter('date', say().core_param_date_not_calendar({ date: raw }));
	if (raw < period.first || raw > period.last) {
		badParameter(
			'date',
			say().core_param_date_outside_period({ date: raw, first: period.first, last: period.last })
		);
	}
	return raw;
}

/** A checkpoint shift: day (06–14), evening (14–22) or night (22–06); day when absent. */
export function parseShift(url: URL): ShiftName {
	const raw = url.searchParams.get('shift');
	if (raw === null || raw === '') return 'day';
	if (!(SHIFTS as readonly string[]).includes(raw))
		badParameter('shift', say().core_param_shift({ got: raw.slice(0, 40) }));
	return raw as ShiftName;
}

/** A four-digit grid code (required). */
export function parseGridCode(url: URL): string {
	const raw = url.searchParams.get('grid') ?? '';
	if (!/^\d{4}$/.test(raw)) badParameter('grid', say().core_param_grid({ got: raw.slice(0, 20) }));
	return raw;
}
