/**
 * A day-on-day change as it is read on a screen. The direction is taken from the figure as shown
 * (rounded to a whole count or to 0.1 percentage point), so a change that rounds to nothing reads
 * "no change" in a neutral colour, never "▼ 0.0" in the worse colour.
 */
import { words, type Lang } from '../core/i18n';

export type ChangeDirection = 'up' | 'down' | 'same';

export interface Change {
	direction: ChangeDirection;
	/** The rounded size without a sign: "3.4 个百分点", "1,234"; empty when the direction is "same". */
	size: string;
}

/** `now` and `before` are counts, or ratios (0–1) when `format` is 'percent'; null when either is unknown. */
export function describeChange(
	now: number | null,
	before: number | null,
	format: 'count' | 'percent',
	lang: Lang
): Change | null {
	if (now === null || before === null || !Number.isFinite(now) || !Number.isFinite(before))
		return null;
	const shown =
		format === 'percent' ? Math.round((now - before) * 1000) / 10 : Math.round(now - before);
	if (shown === 0) return { direction: 'same', size: '' };
	const size =
		format === 'percent'
			? words(lang).core_change_points({ size: Math.abs(shown).toFixed(1) })
			: Math.abs(shown).toLocaleString(lang);
	return { direction: shown > 0 ? 'up' : 'down', size };
}

/** Whether a change is for the better, given which way the figure should move; null when there is no change. */
export function changeIsGood(change: Change, better: 'up' | 'down'): boolean | null {
	return change.direction === 'same' ? null : change.direction === better;
}
