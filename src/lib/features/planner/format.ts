/**
 * The planner page's words and numbers: pure functions of a plan and the user's words
 * (`words(lang)`, src/lib/core/i18n.ts), so that they can be tested without a browser. Times are
 * Beijing time (src/lib/core/time.ts).
 */
import { beijingMonthDayClock, SHIFT_HOURS, SHIFTS } from '../../core/time';
import type { Words } from '../../core/i18n';
import type { ScenarioSummary } from './contract';

/** An instant (ISO) as Beijing month, day and clock: "02-28 23:55". */
export const localTime = (iso: string) => beijingMonthDayClock(Date.parse(iso));

/** A need's shift (`day:slot`), compact for the table: "02-28 22–06"; grid work has none (''). */
export function shiftLabel(shift: string | null): string {
	if (!shift) return '';
	const [day, slot] = shift.split(':');
	const name = SHIFTS[Number(slot)];
	return `${day.slice(5)} ${name ? SHIFT_HOURS[name].replaceAll(':00', '') : ''}`;
}

/** A ratio as a whole percentage: 0.254 → "25%". */
export const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** How the optimised figure `a` compares with the baseline's `b`: "same", "1.5 less", "2 more". */
export function difference(a: number, b: number, w: Words): string {
	const by = (x: number) => String(Math.round(x * 10) / 10);
	if (a === b) return w.planner_same();
	return a < b ? w.planner_less({ by: by(b - a) }) : w.planner_more({ by: by(a - b) });
}

/** Why a draft cannot be applied, in words (the server decides: it knows the clock and later applications). */
export function staleReason(scenario: ScenarioSummary, w: Words): string | null {
	const stale = scenario.stale;
	if (!stale) return null;
	if (stale.reason === 'superseded') return w.planner_stale_superseded({ by: stale.by });
	return w.planner_stale_shift_ended({ time: localTime(stale.endedAt) });
}

/** Why the shown scenario cannot be applied (out of date, or it sends no one); null: it can. */
export function applyBlocked(scenario: ScenarioSummary, w: Words): string | null {
	return (
		staleReason(scenario, w) ?? (scenario.figures.sent === 0 ? w.planner_nothing_to_apply() : null)
	);
}

/** A scenario's state in the list: applied (when), out of date, or a draft. */
export function scenarioState(scenario: ScenarioSummary, w: Words): string {
	if (scenario.appliedAt) return w.planner_state_applied({ time: localTime(scenario.appliedAt) });
	return scenario.stale ? w.planner_state_stale() : w.planner_state_draft();
}
