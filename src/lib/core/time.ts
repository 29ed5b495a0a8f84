/**
 * Time as the subdistrict keeps it — the only place it is computed. Beijing time is UTC+8 all year
 * (no daylight saving); a day is a 'YYYY-MM-DD' string; an instant is milliseconds since the epoch.
 * Checkpoints run three eight-hour shifts: 06–14 (day), 14–22 (evening) and 22–06 (night, belonging
 * to the day it begins).
 */
import { both, type Bilingual } from './i18n';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The instant as an ISO string on Beijing's wall clock ('2020-02-28T23:55:00.000', no zone). */
function beijingIso(ms: number): string {
	return new Date(ms + BEIJING_OFFSET_MS).toISOString();
}

/** The Beijing calendar day of an instant. */
export function beijingDay(ms: number): string {
	return beijingIso(ms).slice(0, 10);
}

/** The instant a Beijing clock time on a day happens (`minutes` after that day's midnight). */
export function beijingInstant(day: string, minutes = 0): number {
	return Date.parse(`${day}T00:00:00+08:00`) + minutes * MINUTE_MS;
}

/** 'HH:MM' on Beijing's clock. */
export function beijingClock(ms: number): string {
	return beijingIso(ms).slice(11, 16);
}

/** 'MM-DD' of the Beijing day. */
export function beijingMonthDay(ms: number): string {
	return beijingIso(ms).slice(5, 10);
}

/** 'MM-DD HH:MM' on Beijing's clock. */
export function beijingMonthDayClock(ms: number): string {
	return beijingIso(ms).slice(5, 16).replace('T', ' ');
}

/** 'YYYY-MM-DD HH:MM' on Beijing's clock. */
export function beijingDateTime(ms: number): string {
	return beijingIso(ms).slice(0, 16).replace('T', ' ');
}

/** A Date whose UTC fields read Beijing's wall clock (for spreadsheet cells, which have no zone). */
export function beijingWallDate(ms: number): Date {
	return new Date(ms + BEIJING_OFFSET_MS);
}

/** The hour (0–23) on Beijing's clock. */
export function beijingHour(ms: number): number {
	return new Date(ms + BEIJING_OFFSET_MS).getUTCHours();
}

/** The day `days` after (or before, when negative) a 'YYYY-MM-DD' day. */
export function addDays(day: string, days: number): string {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Whether `raw` is a real calendar date written YYYY-MM-DD (2020-02-30 is not; nor is year 0, which PostgreSQL lacks). */
export function isCalendarDay(raw: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || raw < '0001-01-01') return false;
	const parsed = new Date(`${raw}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === raw;
}

/** The checkpoint shifts in order; a shift's slot (0, 1, 2) is its index here. */
export const SHIFTS = ['day', 'evening', 'night'] as const;
export type ShiftName = (typeof SHIFTS)[number];
export type ShiftSlot = 0 | 1 | 2;

/** The hour each shift starts; every shift lasts eight hours. */
export const SHIFT_START_HOUR: Record<ShiftName, number> = { day: 6, evening: 14, night: 22 };
export const SHIFT_LENGTH_MS = 8 * HOUR_MS;

/** Checkpoint shifts by slot, as in the rota. */
export const SHIFT_SLOTS = SHIFTS.map((name, slot) => ({
	slot: slot as ShiftSlot,
	name,
	startHour: SHIFT_START_HOUR[name]
}));

/** Each shift's hours, as every staffing label names them (本班 22:00–06:00). */
export const SHIFT_HOURS: Record<ShiftName, string> = {
	day: '06:00–14:00',
	evening: '14:00–22:00',
	night: '22:00–06:00'
};

export const SHIFT_LABELS: Record<ShiftName, Bilingual> = {
	day: both('core_shift_day', { hours: SHIFT_HOURS.day }),
	evening: both('core_shift_evening', { hours: SHIFT_HOURS.evening }),
	night: both('core_shift_night', { hours: SHIFT_HOURS.night })
};

/** The instant a shift begins. */
export function shiftStart(day: string, shift: ShiftName): number {
	return beijingInstant(day, SHIFT_START_HOUR[shift] * 60);
}

/** The instant the shift in a slot (0, 1, 2) of a day begins. */
export function slotStart(day: string, slot: number): number {
	return beijingInstant(day, (SHIFT_SLOTS[slot]?.startHour ?? 6) * 60);
}

/** The checkpoint shift running at a moment, with the day it began on. */
export function shiftAt(ms: number): { day: string; shift: ShiftName } {
	const hour = beijingHour(ms);
	if (hour >= 6 && hour < 14) return { day: beijingDay(ms), shift: 'day' };
	if (hour >= 14 && hour < 22) return { day: beijingDay(ms), shift: 'evening' };
	return { day: hour >= 22 ? beijingDay(ms) : beijingDay(ms - DAY_MS), shift: 'night' };
}
