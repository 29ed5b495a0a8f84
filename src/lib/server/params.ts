import { error } from '@sveltejs/kit';
import type { AreaLevel } from './queries/areas';
import { SHIFTS, type ShiftName } from '../core/time';
import { isCalendarDay } from '../core/time';
import { say } from './say';

/** A 400 naming the parameter and what is wrong with it, in Chinese and English. */
function badParameter(name: string, zh: string, en: string): never {
	error(400, {
		message: say(`参数 ${name} 无效：${zh}`, `Invalid parameter ${name}: ${en}`),
		code: 'bad_parameter'
	});
}

export function parseLevel(url: URL): AreaLevel {
	const raw = url.searchParams.get('level');
	if (raw === null || raw === '') return 'grid';
	if (raw !== 'community' && raw !== 'grid')
		badParameter(
			'level',
			`应为 community 或 grid，收到 "${raw.slice(0, 40)}"`,
			`expected community or grid, got "${raw.slice(0, 40)}"`
		);
	return raw;
}

/** A calendar date YYYY-MM-DD inside the data period; the period's last day when absent. */
export function parseDate(url: URL, period: { first: string; last: string }): string {
	const raw = url.searchParams.get('date');
	if (raw === null || raw === '') return period.last;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw))
		badParameter(
			'date',
			`格式应为 YYYY-MM-DD，收到 "${raw.slice(0, 40)}"`,
			`expected YYYY-MM-DD, got "${raw.slice(0, 40)}"`
		);
	if (!isCalendarDay(raw))
		badParameter('date', `${raw} 不是有效日期`, `${raw} is not a calendar date`);
	if (raw < period.first || raw > period.last) {
		badParameter(
			'date',
			`${raw} 超出数据期间 ${period.first} 至 ${period.last}`,
			`${raw} is outside the data period ${period.first} to ${period.last}`
		);
	}
	return raw;
}

/** A checkpoint shift: day (06–14), evening (14–22) or night (22–06); day when absent. */
export function parseShift(url: URL): ShiftName {
	const raw = url.searchParams.get('shift');
	if (raw === null || raw === '') return 'day';
	if (!(SHIFTS as readonly string[]).includes(raw))
		badParameter(
			'shift',
			`应为 day、evening 或 night，收到 "${raw.slice(0, 40)}"`,
			`expected day, evening or night, got "${raw.slice(0, 40)}"`
		);
	return raw as ShiftName;
}

/** A four-digit grid code (required). */
export function parseGridCode(url: URL): string {
	const raw = url.searchParams.get('grid') ?? '';
	if (!/^\d{4}$/.test(raw))
		badParameter(
			'grid',
			`应为四位网格编码，收到 "${raw.slice(0, 20)}"`,
			`expected a 4-digit grid code, got "${raw.slice(0, 20)}"`
		);
	return raw;
}
