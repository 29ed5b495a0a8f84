/**
 * The wall's eight headline tiles: each figure with the one it is compared against, its target
 * and its 14-day trend. Pure functions of the JSON the wall has read.
 */
import type { ShiftName } from '$lib/core/time';
import { SHIFT_HOURS } from '$lib/core/time';
import { changeIsGood, describeChange } from '$lib/domain/change';
import { METRICS, STAFF_ON_DUTY } from '$lib/domain/metrics';
import type { Lang } from '$lib/i18n';
import type {
	ShiftStaffingDayResponse,
	ShiftTrendResponse,
	SummaryResponse,
	TrendDayResponse
} from './contract';

export interface Kpi {
	id: string;
	label: string;
	/** What the change is measured against, when it is not "yesterday". */
	basis?: { 'zh-CN': string; en: string };
	value: number | null;
	previous: number | null;
	format: 'count' | 'percent';
	better: 'up' | 'down';
	target: string;
	trend: (number | null)[];
}

export interface KpiSources {
	summary: SummaryResponse;
	/** The 14 days up to the summary's day, oldest first. */
	trend: TrendDayResponse[];
	/** The running shift on the days up to its own, oldest first; null outside the data period. */
	shiftSeries: ShiftTrendResponse | null;
	runningShift: ShiftName;
	lang: Lang;
}

/** a ÷ b; null when either is unknown (or withheld) or b is 0. */
export const ratio = (a: number | null | undefined, b: number | null | undefined) =>
	a == null || b == null || b === 0 ? null : a / b;

const shiftRatio = (day: ShiftStaffingDayResponse | undefined) =>
	ratio(day?.staffedStaff, day?.requiredStaff);

export function computeKpis({
	summary,
	trend,
	shiftSeries,
	runningShift,
	lang
}: KpiSources): Kpi[] {
	const f = summary.figures;
	const p = summary.previous;
	const series = (pick: (d: TrendDayResponse) => number | null) => trend.map(pick);
	const L = (zh: string, e: string) => (lang === 'en' ? e : zh);
	const coverageTarget = METRICS.screening_coverage.policyBreaks.at(-1)!;
	const staffingTarget = METRICS.checkpoint_staffing.policyBreaks.at(-1)!;
	const lastTrend = trend.at(-2);
	const { total, resumed } = summary.enterprises;
	const resumedPercent = ((resumed / Math.max(1, total)) * 100).toFixed(0);
	return [
		{
			id: 'observed-households',
			label: L('居家观察户数', 'Households under observation'),
			value: f.observedHouseholds,
			previous: p?.observedHouseholds ?? null,
			format: 'count',
			better: 'down',
			target: L('应管尽管，每日上门', 'every one visited daily'),
			trend: series((d) => d.observedHouseholds)
		},
		{
			id: 'observed-persons',
			label: L('居家观察人数', 'Persons under observation'),
			value: f.observedPersons,
			previous: p?.observedPersons ?? null,
			format: 'count',
			better: 'down',
			target: L('14 天期满解除', 'released after 14 days'),
			trend: series((d) => d.observedPersons)
		},
		{
			id: 'screened-cum',
			label: L('累计排查人数', 'Persons screened, total'),
			value: f.personsScreenedCum,
			previous: p?.personsScreenedCum ?? null,
			format: 'count',
			better: 'up',
			target: L(
				`全员 ${(f.residentsRegistered ?? 0).toLocaleString(lang)} 人`,
				`all ${(f.residentsRegistered ?? 0).toLocaleString(lang)} residents`
			),
			trend: series((d) => d.personsScreenedCum)
		},
		{
			id: 'screened-today',
			label: L('今日排查人次', 'Screenings today'),
			value: f.screenedToday,
			previous: p?.screenedToday ?? null,
			format: 'count',
			better: 'up',
			target: L(
				`超 24 小时未排查 ${f.overdueScreenings ?? '—'} 人`,
				`${f.overdueScreenings ?? '—'} unscreened over 24 h`
			),
			trend: series((d) => d.screenedToday)
		},
		{
			id: 'coverage',
			label: L('排查覆盖率', 'Screening coverage'),
			value: ratio(f.returneesScreened, f.returneesDue),
			previous: ratio(p?.returneesScreened, p?.returneesDue),
			format: 'percent',
			better: 'up',
			target: L(`目标 ≥ ${coverageTarget * 100}%`, `target ≥ ${coverageTarget * 100}%`),
			trend: series((d) => ratio(d.returneesScreened, d.returneesDue))
		},
		// This shift, the same shift the day before, and that shift's 14-day trend: like against like.
		{
			id: 'staffing-now',
			label: L(
				`卡口在岗率·本班 ${SHIFT_HOURS[runningShift]}`,
				`Checkpoint staffing, this shift ${SHIFT_HOURS[runningShift]}`
			),
			basis: { 'zh-CN': '昨日同班', en: 'same shift yesterday' },
			value: shiftRatio(shiftSeries?.days.at(-1)),
			previous: shiftRatio(shiftSeries?.days.at(-2)),
			format: 'percent',
			better: 'up',
			target: L(`目标 ≥ ${staffingTarget * 100}%`, `target ≥ ${staffingTarget * 100}%`),
			trend: shiftSeries?.days.map(shiftRatio) ?? []
		},
		{
			id: 'on-duty',
			label: STAFF_ON_DUTY.label[lang],
			value: f.staffOnDuty,
			previous: p?.staffOnDuty ?? null,
			format: 'count',
			better: 'up',
			target: L(
				`缺员班次 ${f.understaffedShifts ?? '—'}`,
				`${f.understaffedShifts ?? '—'} understaffed shifts`
			),
			trend: series((d) => d.staffOnDuty)
		},
		{
			id: 'enterprises',
			label: L('企业复工', 'Enterprises resumed'),
			value: resumed,
			previous: lastTrend?.enterprisesResumed ?? null,
			format: 'count',
			better: 'up',
			target: L(
				`共 ${total.toLocaleString(lang)} 家（${resumedPercent}%）`,
				`of ${total.toLocaleString(lang)} (${resumedPercent}%)`
			),
			trend: series((d) => d.enterprisesResumed)
		}
	];
}

/** A tile's figure as shown: a whole count, or a percentage to 0.1; "—" when unknown or withheld. */
export function formatKpiValue(kpi: Kpi, value: number | null, lang: Lang): string {
	if (value === null) return '—';
	return kpi.format === 'percent'
		? `${(value * 100).toFixed(1)}%`
		: Math.round(value).toLocaleString(lang);
}

/** The tile's change line ("较昨日 ▲ 1,234") and whether it is for the better (null: neutral). */
export function describeKpiChange(kpi: Kpi, lang: Lang): { text: string; good: boolean | null } {
	const en = lang === 'en';
	const change = describeChange(kpi.value, kpi.previous, kpi.format, lang);
	const basis = kpi.basis?.[lang] ?? (en ? 'yesterday' : '昨日');
	if (!change) return { text: en ? 'no change figure' : '无对比', good: null };
	if (change.direction === 'same')
		return { text: en ? `no change from ${basis}` : `与${basis}持平`, good: null };
	return {
		text: `${en ? `vs. ${basis}` : `较${basis}`} ${change.direction === 'up' ? '▲' : '▼'} ${change.size}`,
		good: changeIsGood(change, kpi.better)
	};
}
