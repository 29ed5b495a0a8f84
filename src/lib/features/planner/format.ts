/**
 * The planner page's words and numbers: pure functions of a plan and the user's language, so that
 * they can be tested without a browser. Times are Beijing time (src/lib/core/time.ts).
 */
import { beijingMonthDayClock, SHIFT_HOURS, SHIFTS } from '../../core/time';
import type { Lang } from '../../i18n';
import type { ScenarioSummary } from './contract';

/** A phrase in the user's language, given in both: `say('计算方案', 'Make the plan')`. */
export type Say = (zh: string, en: string) => string;

export const sayIn =
	(lang: Lang): Say =>
	(zh, en) =>
		lang === 'en' ? en : zh;

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
export function difference(a: number, b: number, say: Say): string {
	const by = (x: number) => Math.round(x * 10) / 10;
	if (a === b) return say('相同', 'same');
	return a < b
		? say(`少 ${by(b - a)}`, `${by(b - a)} less`)
		: say(`多 ${by(a - b)}`, `${by(a - b)} more`);
}

/** Why a draft cannot be applied, in words (the server decides: it knows the clock and later applications). */
export function staleReason(scenario: ScenarioSummary, say: Say): string | null {
	const stale = scenario.stale;
	if (!stale) return null;
	if (stale.reason === 'superseded')
		return say(
			`不能执行：此方案计算之后，方案“${stale.by}”已执行，缺口已变化。请重新计算。`,
			`Cannot be applied: plan "${stale.by}" was applied after this one was made, so the gaps have changed. Make the plan again.`
		);
	return say(
		`不能执行：方案中的班次已于 ${localTime(stale.endedAt)} 结束。请重新计算。`,
		`Cannot be applied: a shift in this plan ended at ${localTime(stale.endedAt)}. Make the plan again.`
	);
}

/** Why the shown scenario cannot be applied (out of date, or it sends no one); null: it can. */
export function applyBlocked(scenario: ScenarioSummary, say: Say): string | null {
	return (
		staleReason(scenario, say) ??
		(scenario.figures.sent === 0
			? say('不能执行：此方案没有派出任何人。', 'Nothing to apply: this plan sends no one.')
			: null)
	);
}

/** A scenario's state in the list: applied (when), out of date, or a draft. */
export function scenarioState(scenario: ScenarioSummary, say: Say): string {
	if (scenario.appliedAt)
		return say(
			`已执行 ${localTime(scenario.appliedAt)}`,
			`applied ${localTime(scenario.appliedAt)}`
		);
	return scenario.stale ? say('已过期', 'out of date') : say('草稿', 'draft');
}
