/**
 * The wall's eight headline tiles: each figure with the one it is compared against, its target
 * and its 14-day trend. Pure functions of the JSON the wall has read.
 */
import type { ShiftName } from '$lib/core/time';
import { SHIFT_HOURS } from '$lib/core/time';
import { changeIsGood, describeChange } from '$lib/domain/change';
import { METRICS, STAFF_ON_DUTY } from '$lib/domain/metrics';
import { both, words, type Bilingual, type Lang } from '$lib/core/i18n';
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
	basis?: Bilingual;
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
	const w = words(lang);
	const coverageTarget = METRICS.screening_coverage.policyBreaks.at(-1)!;
	const staffingTarget = METRICS.checkpoint_staffing.policyBreaks.at(-1)!;
	const lastTrend = trend.at(-2);
	const { total, resumed } = summary.enterprises;
	const resumedPercent = ((resumed / Math.max(1, total)) * 100).toFixed(0);
	return [
		{
			id: 'observed-households',
			label: w.wall_kpi_observed_households(),
			value: f.observedHouseholds,
			previous: p?.observedHouseholds ?? null,
			format: 'count',
			better: 'down',
			target: w.wall_kpi_target_observed_households(),
			trend: series((d) => d.observedHouseholds)
		},
		{
			id: 'observed-persons',
			label: w.wall_kpi_observed_persons(),
			value: f.observedPersons,
			previous: p?.observedPersons ?? null,
			format: 'count',
			better: 'down',
			target: w.wall_kpi_target_observed_persons(),
			trend: series((d) => d.observedPersons)
		},
		{
			id: 'screened-cum',
			label: w.wall_kpi_screened_cum(),
			value: f.personsScreenedCum,
			previous: p?.personsScreenedCum ?? null,
			format: 'count',
			better: 'up',
			target: w.wall_kpi_target_screened_cum({
				n: (f.residentsRegistered ?? 0).toLocaleString(lang)
			}),
			trend: series((d) => d.personsScreenedCum)
		},
		{
			id: 'screened-today',
			label: w.wall_kpi_screenings_today(),
			value: f.screenedToday,
			previous: p?.screenedToday ?? null,
			format: 'count',
			better: 'up',
			target: w.wall_kpi_target_overdue({ n: f.overdueScreenings ?? '—' }),
			trend: series((d) => d.screenedToday)
		},
		{
			id: 'coverage',
			label: METRICS.screening_coverage.label[lang],
			value: ratio(f.returneesScreened, f.returneesDue),
			previous: ratio(p?.returneesScreened, p?.returneesDue),
			format: 'percent',
			better: 'up',
			target: w.core_target_at_least({ percent: coverageTarget * 100 }),
			trend: series((d) => ratio(d.returneesScreened, d.returneesDue))
		},
		// This shift, the same shift the day before, and that shift's 14-day trend: like against like.
		{
			id: 'staffing-now',
			label: w.wall_kpi_staffing_now({ hours: SHIFT_HOURS[runningShift] }),
			basis: both('wall_change_basis_same_shift'),
			value: shiftRatio(shiftSeries?.days.at(-1)),
			previous: shiftRatio(shiftSeries?.days.at(-2)),
			format: 'percent',
			better: 'up',
			target: w.core_target_at_least({ percent: staffingTarget * 100 }),
			trend: shiftSeries?.days.map(shiftRatio) ?? []
		},
		{
			id: 'on-duty',
			label: STAFF_ON_DUTY.label[lang],
			value: f.staffOnDuty,
			previous: p?.staffOnDuty ?? null,
			format: 'count',
			better: 'up',
			target: w.wall_kpi_target_understaffed({ n: f.understaffedShifts ?? '—' }),
			trend: series((d) => d.staffOnDuty)
		},
		{
			id: 'enterprises',
			label: w.wall_kpi_enterprises(),
			value: resumed,
			previous: lastTrend?.enterprisesResumed ?? null,
			format: 'count',
			better: 'up',
			target: w.wall_kpi_target_enterprises({
				total: total.toLocaleString(lang),
				percent: resumedPercent
			}),
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
	const w = words(lang);
	const change = describeChange(kpi.value, kpi.previous, kpi.format, lang);
	const basis = kpi.basis?.[lang] ?? w.wall_change_basis_yesterday();
	if (!change) return { text: w.wall_change_none(), good: null };
	if (change.direction === 'same') return { text: w.wall_change_same({ basis }), good: null };
	return {
		text: w.wall_change_vs({
			basis,
			arrow: change.direction === 'up' ? '▲' : '▼',
			size: change.size
		}),
		good: changeIsGood(change, kpi.better)
	};
}
