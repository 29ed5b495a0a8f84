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
} from '../../../core/time';
import { both, words, type Bilingual, type Lang, type MessageKey } from '../../../core/i18n';

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

export const SEVERITY_LABELS: Record<Severity, Bilingual> = {
	high: both('gaps_severity_high'),
	medium: both('gaps_severity_medium'),
	low: both('gaps_severity_low'),
	info: both('gaps_severity_info')
};

export const GAP_RULES: Record<
	GapRuleId,
	{ label: Bilingual; level: 'grid' | 'checkpoint' | 'community' }
> = {
	returnee_unscreened: { label: both('gaps_rule_returnee_unscreened'), level: 'grid' },
	health_check_missing: { label: both('gaps_rule_health_check_missing'), level: 'grid' },
	service_overdue: { label: both('gaps_rule_service_overdue'), level: 'grid' },
	checkpoint_short: { label: both('gaps_rule_checkpoint_short'), level: 'checkpoint' },
	report_missing: { label: both('gaps_rule_report_missing'), level: 'community' },
	observation_ending: { label: both('gaps_rule_observation_ending'), level: 'grid' }
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
): { settings: GapSettings } | { error: { field: string } & Bilingual } {
	const out: GapSettings = {
		...DEFAULT_GAP_SETTINGS,
		serviceKinds: [...DEFAULT_GAP_SETTINGS.serviceKinds]
	};
	if (input === null || input === undefined) return { settings: out };
	if (typeof input !== 'object' || Array.isArray(input))
		return { error: { field: 'gaps', ...both('core_expected_object') } };
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
			return { field: key, ...both('gaps_setting_expected_range', { min, max }) };
		}
		out[key] = value;
		return null;
	};
	const failures: (({ field: string } & Bilingual) | null)[] = [
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
			failures.push({ field: key, ...both('gaps_setting_expected_time') });
		else out[key] = value;
	}
	if (record.serviceKinds !== undefined) {
		const kinds = record.serviceKinds;
		if (!Array.isArray(kinds) || !kinds.every((k) => k === 'garbage' || k === 'delivery')) {
			failures.push({ field: 'serviceKinds', ...both('gaps_setting_expected_service_kinds') });
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

/** A day as the item's wording names it: 2月28日, 28 Feb. */
export function monthDay(day: string, lang: Lang): string {
	return new Date(`${day}T00:00:00Z`).toLocaleDateString(
		lang === 'en' ? 'en-GB' : 'zh-CN',
		lang === 'en'
			? { day: 'numeric', month: 'short', timeZone: 'UTC' }
			: { month: 'long', day: 'numeric', timeZone: 'UTC' }
	);
}
const SERVICE_LABELS = {
	garbage: 'gaps_service_garbage',
	delivery: 'gaps_service_delivery',
	visit: 'gaps_service_visit'
} as const satisfies Record<string, MessageKey>;
const KIND_SUFFIX = {
	gate: 'gaps_post_gate',
	building: 'gaps_post_building',
	road: 'gaps_post_road'
} as const satisfies Record<string, MessageKey>;
const keyOf = <T extends object>(table: T, name: unknown): T[keyof T] | undefined =>
	Object.hasOwn(table, String(name)) ? table[String(name) as keyof T] : undefined;

/** "今晚 22:00–06:00", "明天 06:00–14:00": a shift named relative to the day of `now`. */
export function shiftPhrase(day: string, slot: number, now: number, lang: Lang): string {
	const w = words(lang);
	const name = SHIFTS[slot];
	const hours = name ? SHIFT_HOURS[name] : '';
	const offset = daysBetween(beijingDay(now), day);
	const evening = slot === 2;
	const when =
		offset === 0
			? evening
				? w.gaps_when_tonight()
				: w.gaps_when_today()
			: offset === 1
				? evening
					? w.gaps_when_tomorrow_night()
					: w.gaps_when_tomorrow()
				: offset === -1
					? evening
						? w.gaps_when_last_night()
						: w.gaps_when_yesterday()
					: monthDay(day, lang);
	return `${when} ${hours}`;
}

/** The item in words, in the reader's language. */
export function gapMessage(item: GapItemView, lang: Lang, now: number): string {
	const w = words(lang);
	const d = item.detail as Record<string, string | number | null | undefined>;
	const grid = item.gridCode ?? '';
	const n = item.count;
	const one = n === 1;
	switch (item.rule) {
		case 'returnee_unscreened': {
			const inputs = { grid, n, hours: d.hours ?? 24 };
			return one
				? w.gaps_message_returnee_unscreened_one(inputs)
				: w.gaps_message_returnee_unscreened_other(inputs);
		}
		case 'health_check_missing': {
			const inputs = { grid, n, by: String(d.by) };
			return one
				? w.gaps_message_health_check_missing_one(inputs)
				: w.gaps_message_health_check_missing_other(inputs);
		}
		case 'service_overdue': {
			const key = keyOf(SERVICE_LABELS, d.kind);
			const inputs = { grid, n, service: key ? w[key]() : String(d.kind) };
			return one
				? w.gaps_message_service_overdue_one(inputs)
				: w.gaps_message_service_overdue_other(inputs);
		}
		case 'checkpoint_short': {
			const key = keyOf(KIND_SUFFIX, d.kind);
			const name = String(d.name ?? d.checkpoint ?? '');
			// In Chinese a post already named for its kind (北门卡口) is not named so twice.
			const kind = key ? w[key]() : null;
			const post =
				kind === null
					? w.gaps_post_named_other({ name })
					: w.gaps_post_named({ name, kind: lang === 'zh-CN' && name.endsWith(kind) ? '' : kind });
			const inputs = {
				post,
				shift: shiftPhrase(String(d.day), Number(d.slot), now, lang),
				n,
				required: String(d.required),
				staffed: String(d.staffed)
			};
			return d.current
				? w.gaps_message_checkpoint_short_checked_in(inputs)
				: w.gaps_message_checkpoint_short_rostered(inputs);
		}
		case 'report_missing':
			return w.gaps_message_report_missing({
				community: item.communityName ?? '',
				day: monthDay(String(d.day), lang),
				cutoff: String(d.cutoff)
			});
		case 'observation_ending': {
			const inputs = {
				grid,
				n,
				hours: d.hours ?? 48,
				first: monthDay(String(d.firstEnd), lang)
			};
			return one
				? w.gaps_message_observation_ending_one(inputs)
				: w.gaps_message_observation_ending_other(inputs);
		}
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
