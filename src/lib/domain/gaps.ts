/**
 * Gap rules: what in a grid is not done. Each rule is defined here once — its label, severity,
 * settings and the time windows it looks at — and evaluated in SQL (gap_candidates_rows in
 * migration 0009) over the windows computed here, so every boundary (exactly 24 h, midnight,
 * a shift that runs over midnight) is decided by one function with unit tests.
 *
 * Days and clock times are Asia/Shanghai (UTC+8, no daylight saving).
 */
import {
	addDays,
	beijingDay,
	beijingInstant,
	daysBetween,
	HOUR_MS,
	SHIFT_HOURS,
	SHIFT_LENGTH_MS,
	SHIFT_SLOTS,
	SHIFTS,
	type ShiftSlot
} from '../core/time';

export const GAP_RULE_IDS = [
	'returnee_unscreened',
	'health_check_missing',
	'service_overdue',
	'checkpoint_short',
	'report_missing',
	'observation_ending'
] as const;
export type GapRuleId = (typeof GAP_RULE_IDS)[number];
export type Severity = 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: Severity[] = ['high', 'medium', 'low', 'info'];

export const SEVERITY_LABELS: Record<Severity, { 'zh-CN': string; en: string }> = {
	high: { 'zh-CN': '紧急', en: 'Urgent' },
	medium: { 'zh-CN': '重要', en: 'Important' },
	low: { 'zh-CN': '一般', en: 'Routine' },
	info: { 'zh-CN': '提示', en: 'For information' }
};

export const GAP_RULES: Record<
	GapRuleId,
	{ label: { 'zh-CN': string; en: string }; level: 'grid' | 'checkpoint' | 'community' }
> = {
	returnee_unscreened: {
		label: { 'zh-CN': '返杭人员超时未排查', en: 'Returnees not screened in time' },
		level: 'grid'
	},
	health_check_missing: {
		label: {
			'zh-CN': '居家观察户今日未随访',
			en: 'Observed households without today’s health check'
		},
		level: 'grid'
	},
	service_overdue: {
		label: { 'zh-CN': '上门服务逾期', en: 'Household services overdue' },
		level: 'grid'
	},
	checkpoint_short: {
		label: { 'zh-CN': '卡口班次缺人', en: 'Checkpoint shifts short of staff' },
		level: 'checkpoint'
	},
	report_missing: {
		label: { 'zh-CN': '社区日报未上报', en: 'Community daily report missing' },
		level: 'community'
	},
	observation_ending: {
		label: { 'zh-CN': '居家观察即将期满', en: 'Home observations ending soon' },
		level: 'grid'
	}
};

/** The rules' settings. Every value is a default that an administrator may change (app_setting 'gaps'). */
export interface GapSettings {
	/** A returnee is overdue when not screened this many hours after arrival. */
	returneeHours: number;
	/** Observed households must have had their health visit by this time of day (HH:MM). */
	healthCheckBy: string;
	/** Service task kinds watched by the overdue rule (the daily health visit has its own rule). */
	serviceKinds: ('garbage' | 'delivery')[];
	/** Minutes after a task's due time before it counts as overdue. */
	serviceGraceMinutes: number;
	/** Tasks due longer ago than this are history, not open gaps. */
	serviceLookbackHours: number;
	/** Checkpoint shifts running now or starting within this many hours are checked. */
	shiftHorizonHours: number;
	/** A community's daily report is due by this time of day (HH:MM). */
	reportCutoff: string;
	/** Days checked for missing reports: today (once past the cut-off) and the days before it. */
	reportLookbackDays: number;
	/** Observations ending within this many hours are listed (information, to plan release). */
	observationEndingHours: number;
}

export const DEFAULT_GAP_SETTINGS: GapSettings = {
	returneeHours: 24,
	healthCheckBy: '12:00',
	serviceKinds: ['garbage', 'delivery'],
	serviceGraceMinutes: 60,
	serviceLookbackHours: 48,
	shiftHorizonHours: 24,
	reportCutoff: '22:00',
	reportLookbackDays: 2,
	observationEndingHours: 48
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Reads stored settings over the defaults; a bad value is refused with the field named. */
export function parseGapSettings(
	input: unknown
): { settings: GapSettings } | { error: { field: string; 'zh-CN': string; en: string } } {
	const out: GapSettings = {
		...DEFAULT_GAP_SETTINGS,
		serviceKinds: [...DEFAULT_GAP_SETTINGS.serviceKinds]
	};
	if (input === null || input === undefined) return { settings: out };
	if (typeof input !== 'object' || Array.isArray(input))
		return { error: { field: 'gaps', 'zh-CN': '应为对象', en: 'expected an object' } };
	const record = input as Record<string, unknown>;
	const numberField = (
		key:
			| 'returneeHours'
			| 'serviceGraceMinutes'
			| 'serviceLookbackHours'
			| 'shiftHorizonHours'
			| 'reportLookbackDays'
			| 'observationEndingHours',
		min: number,
		max: number
	) => {
		const value = record[key];
		if (value === undefined) return null;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
			return {
				field: key,
				'zh-CN': `应为 ${min}–${max} 之间的数`,
				en: `expected a number from ${min} to ${max}`
			};
		}
		out[key] = value;
		return null;
	};
	const failures: ({ field: string; 'zh-CN': string; en: string } | null)[] = [
		numberField('returneeHours', 1, 240),
		numberField('serviceGraceMinutes', 0, 1440),
		numberField('serviceLookbackHours', 1, 720),
		numberField('shiftHorizonHours', 1, 168),
		numberField('reportLookbackDays', 1, 14),
		numberField('observationEndingHours', 1, 336)
	];
	for (const key of ['healthCheckBy', 'reportCutoff'] as const) {
		const value = record[key];
		if (value === undefined) continue;
		if (typeof value !== 'string' || !HHMM.test(value))
			failures.push({
				field: key,
				'zh-CN': '应为 HH:MM 格式的时间，如 12:00',
				en: 'expected a time as HH:MM, e.g. 12:00'
			});
		else out[key] = value;
	}
	if (record.serviceKinds !== undefined) {
		const kinds = record.serviceKinds;
		if (!Array.isArray(kinds) || !kinds.every((k) => k === 'garbage' || k === 'delivery')) {
			failures.push({
				field: 'serviceKinds',
				'zh-CN': '应为 garbage、delivery 组成的列表',
				en: 'expected a list of garbage, delivery'
			});
		} else out.serviceKinds = [...new Set(kinds)] as GapSettings['serviceKinds'];
	}
	const failure = failures.find((f) => f !== null);
	return failure ? { error: failure } : { settings: out };
}

/**
 * A cause that comes back this soon after it cleared is the same problem (an arrival recorded and then
 * undone, a screening entered and withdrawn): its item reopens with its acknowledgement and assignment.
 * Later, it is a new item.
 */
export const GAP_REOPEN_WINDOW_MS = 2 * HOUR_MS;
function minutesOf(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number);
	return h * 60 + m;
}

export interface ShiftWindow {
	/** The day the shift starts on (a night shift belongs to the day it begins). */
	day: string;
	slot: ShiftSlot;
	startsAt: number;
	endsAt: number;
	/** Running now: staffing counts who has checked in; later shifts count who is rostered. */
	current: boolean;
	severity: Severity;
}

/** Every shift that is running at `now` or starts before `now + hours`. */
export function shiftWindows(now: number, hours: number): ShiftWindow[] {
	const out: ShiftWindow[] = [];
	const horizon = now + hours * HOUR_MS;
	for (
		let day = addDays(beijingDay(now), -1);
		beijingInstant(day) < horizon;
		day = addDays(day, 1)
	) {
		for (const { slot, startHour } of SHIFT_SLOTS) {
			const startsAt = beijingInstant(day, startHour * 60);
			const endsAt = startsAt + SHIFT_LENGTH_MS;
			if (endsAt <= now || startsAt >= horizon) continue;
			const current = startsAt <= now;
			out.push({
				day,
				slot,
				startsAt,
				endsAt,
				current,
				severity: current ? 'high' : startsAt < now + 8 * HOUR_MS ? 'medium' : 'low'
			});
		}
	}
	return out;
}

/** The windows every rule looks at, for one moment. Passed to the SQL as its parameters. */
export interface GapWindows {
	now: string;
	today: string;
	/** Local midnight that began today. */
	dayStart: string;
	/** Returnees who arrived strictly before this are overdue if not screened since arriving. */
	arrivedBefore: string;
	/** Whether today's health check deadline has passed. */
	healthCheckDue: boolean;
	healthCheckBy: string;
	serviceKinds: string[];
	/** Tasks due before this (and after serviceDueAfter) and not done by now are overdue. */
	serviceDueBefore: string;
	serviceDueAfter: string;
	shifts: {
		day: string;
		slot: number;
		startsAt: string;
		endsAt: string;
		current: boolean;
		severity: Severity;
	}[];
	/** Days whose report cut-off has passed, newest first. */
	reportDays: string[];
	reportCutoff: string;
	/** Observations whose end (the start of their end date) falls in (now, observationEndBy] are listed. */
	observationEndBy: string;
	returneeHours: number;
	/** An item the rules closed after this, whose cause is found again, reopens (keeping its handling) rather than starting anew. */
	reopenClosedAfter: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function gapWindows(now: number, settings: GapSettings = DEFAULT_GAP_SETTINGS): GapWindows {
	const today = beijingDay(now);
	const reportDays: string[] = [];
	for (let k = 0; k < settings.reportLookbackDays; k++) {
		const day = addDays(today, -k);
		if (beijingInstant(day, minutesOf(settings.reportCutoff)) <= now) reportDays.push(day);
	}
	return {
		now: iso(now),
		today,
		dayStart: iso(beijingInstant(today)),
		arrivedBefore: iso(now - settings.returneeHours * HOUR_MS),
		healthCheckDue: now >= beijingInstant(today, minutesOf(settings.healthCheckBy)),
		healthCheckBy: settings.healthCheckBy,
		serviceKinds: [...settings.serviceKinds],
		serviceDueBefore: iso(now - settings.serviceGraceMinutes * 60_000),
		serviceDueAfter: iso(now - settings.serviceLookbackHours * HOUR_MS),
		shifts: shiftWindows(now, settings.shiftHorizonHours).map((s) => ({
			...s,
			startsAt: iso(s.startsAt),
			endsAt: iso(s.endsAt)
		})),
		reportDays,
		reportCutoff: settings.reportCutoff,
		observationEndBy: iso(now + settings.observationEndingHours * HOUR_MS),
		returneeHours: settings.returneeHours,
		reopenClosedAfter: iso(now - GAP_REOPEN_WINDOW_MS)
	};
}

/** Whether a returnee is overdue: more than `hours` since arrival (a date alone counts from its midnight), and no screening since. */
export function returneeOverdue(
	arrival: { date: string; at?: number | null },
	screenedAt: number[],
	now: number,
	hours = DEFAULT_GAP_SETTINGS.returneeHours
): boolean {
	const arrived = arrival.at ?? beijingInstant(arrival.date);
	if (!(arrived < now - hours * HOUR_MS)) return false;
	return !screenedAt.some((t) => t >= arrived && t <= now);
}

/** A gap item as stored, with the figures its wording needs. */
export interface GapItemView {
	id: number;
	rule: GapRuleId;
	severity: Severity;
	status: 'open' | 'acknowledged' | 'resolved';
	count: number;
	gridCode: string | null;
	communityCode: string | null;
	communityName: string | null;
	detail: Record<string, unknown>;
}

const CHINESE_DAY = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const ENGLISH_DAY = (day: string) =>
	new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'short',
		timeZone: 'UTC'
	});
const SERVICE_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
	garbage: { 'zh-CN': '垃圾清运', en: 'garbage collection' },
	delivery: { 'zh-CN': '物资配送', en: 'supply delivery' },
	visit: { 'zh-CN': '健康随访', en: 'health visit' }
};
const KIND_SUFFIX: Record<string, { 'zh-CN': string; en: string }> = {
	gate: { 'zh-CN': '卡口', en: 'gate post' },
	building: { 'zh-CN': '楼道岗', en: 'entrance post' },
	road: { 'zh-CN': '道口', en: 'road post' }
};

/** "今晚 22:00–06:00", "明天 06:00–14:00": a shift named relative to the day of `now`. */
export function shiftPhrase(day: string, slot: number, now: number, lang: 'zh-CN' | 'en'): string {
	const name = SHIFTS[slot];
	const hours = name ? SHIFT_HOURS[name] : '';
	const offset = daysBetween(beijingDay(now), day);
	const evening = slot === 2;
	if (lang === 'en') {
		const when =
			offset === 0
				? evening
					? 'tonight'
					: 'today'
				: offset === 1
					? evening
						? 'tomorrow night'
						: 'tomorrow'
					: offset === -1
						? evening
							? 'last night'
							: 'yesterday'
						: ENGLISH_DAY(day);
		return `${when} ${hours}`;
	}
	const when =
		offset === 0
			? evening
				? '今晚'
				: '今天'
			: offset === 1
				? evening
					? '明晚'
					: '明天'
				: offset === -1
					? evening
						? '昨晚'
						: '昨天'
					: CHINESE_DAY(day);
	return `${when} ${hours}`;
}

/** The item in words, in the reader's language. */
export function gapMessage(item: GapItemView, lang: 'zh-CN' | 'en', now: number): string {
	const d = item.detail as Record<string, string | number | null | undefined>;
	const grid = item.gridCode ?? '';
	const n = item.count;
	const zh = lang === 'zh-CN';
	switch (item.rule) {
		case 'returnee_unscreened':
			return zh
				? `网格 ${grid}：${n} 名返杭人员超过 ${d.hours ?? 24} 小时未排查`
				: `Grid ${grid}: ${n} returnee${n === 1 ? '' : 's'} not screened ${d.hours ?? 24} h after arrival`;
		case 'health_check_missing':
			return zh
				? `网格 ${grid}：${n} 户居家观察户今日未完成健康随访（应于 ${d.by} 前）`
				: `Grid ${grid}: ${n} observed household${n === 1 ? '' : 's'} without today’s health check (due by ${d.by})`;
		case 'service_overdue': {
			const kind = SERVICE_LABELS[String(d.kind)] ?? {
				'zh-CN': String(d.kind),
				en: String(d.kind)
			};
			return zh
				? `网格 ${grid}：${n} 户${kind['zh-CN']}逾期未完成`
				: `Grid ${grid}: ${kind.en} overdue at ${n} household${n === 1 ? '' : 's'}`;
		}
		case 'checkpoint_short': {
			const suffix = KIND_SUFFIX[String(d.kind)] ?? { 'zh-CN': '', en: 'post' };
			const name = String(d.name ?? d.checkpoint ?? '');
			const phrase = shiftPhrase(String(d.day), Number(d.slot), now, lang);
			return zh
				? `${name}${name.endsWith(suffix['zh-CN']) ? '' : suffix['zh-CN']} ${phrase} 班次 缺 ${n} 人（应 ${d.required} 人${d.current ? `，到岗 ${d.staffed}` : `，排班 ${d.staffed}`}）`
				: `${name} ${suffix.en}, ${phrase} shift: ${n} short (${d.staffed} of ${d.required} ${d.current ? 'checked in' : 'rostered'})`;
		}
		case 'report_missing':
			return zh
				? `${item.communityName ?? ''} ${CHINESE_DAY(String(d.day))} 日报截至 ${d.cutoff} 未上报`
				: `${item.communityName ?? ''}: daily report for ${ENGLISH_DAY(String(d.day))} not in by ${d.cutoff}`;
		case 'observation_ending':
			return zh
				? `网格 ${grid}：${n} 户居家观察将在 ${d.hours ?? 48} 小时内期满（最早 ${CHINESE_DAY(String(d.firstEnd))}）`
				: `Grid ${grid}: home observation ends within ${d.hours ?? 48} h for ${n} household${n === 1 ? '' : 's'} (first on ${ENGLISH_DAY(String(d.firstEnd))})`;
	}
}

/** Open = not resolved and not closed; information items are listed but never counted as gaps. */
export function countsAsOpenGap(item: { status: string; severity: Severity }): boolean {
	return item.status !== 'resolved' && item.severity !== 'info';
}

export const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Open items (information left out) counted per place and rule: `keyOf` names the place, null skips the item. */
export function countByRule<T extends { rule: string; severity: Severity }>(
	items: T[],
	keyOf: (item: T) => string | null
): Record<string, Record<string, number>> {
	const out: Record<string, Record<string, number>> = {};
	for (const item of items) {
		const key = keyOf(item);
		if (key === null || item.severity === 'info') continue;
		const row = (out[key] ??= {});
		row[item.rule] = (row[item.rule] ?? 0) + 1;
	}
	return out;
}
