/**
 * The map's metrics, each defined once: label, unit, direction and default policy thresholds.
 * Definitions follow design.md ("Metrics"). Values are computed from grid_day rows, so the
 * same function serves a grid, a community (summed rows) and the subdistrict.
 */
import { both, words, type Bilingual, type Lang } from '../core/i18n';

export type MetricId =
	'observed_households' | 'screening_coverage' | 'checkpoint_staffing' | 'open_gaps';
export type Direction = 'higher_is_better' | 'higher_is_worse';

/** Figures summed over a set of grid_day rows. */
export interface AreaFigures {
	householdsRegistered: number;
	residentsRegistered: number;
	observedHouseholds: number;
	observedPersons: number;
	observedHouseholdsCum: number;
	observedPersonsCum: number;
	returneesDue: number;
	returneesScreened: number;
	screenedToday: number;
	personsScreenedCum: number;
	overdueScreenings: number;
	checkpointsOpen: number;
	requiredShiftHours: number;
	staffedShiftHours: number;
	understaffedShifts: number;
	/** Distinct people on duty that day (see STAFF_ON_DUTY): not summed over grids for a community or the subdistrict. */
	staffOnDuty: number;
	/** Gap items open at the day's end (or now, for today): see features/gaps/model/gaps.ts. */
	openGaps?: number;
}

/**
 * Staff on duty: the people checked in at a shift (gate or grid duty) begun that day, each counted
 * once however many posts or grids they stood at. People, not person-shifts: a community's or the
 * subdistrict's figure is a distinct count of its own, less than the sum of its grids' whenever
 * someone served in two of them.
 */
export const STAFF_ON_DUTY: { readonly label: Bilingual; readonly definition: Bilingual } = {
	label: both('core_staff_on_duty'),
	definition: both('core_staff_on_duty_definition')
};

export interface MetricDefinition {
	id: MetricId;
	label: Bilingual;
	unit: Bilingual;
	direction: Direction;
	/** Class breaks for the policy classification, ascending; values ≥ breaks[i] fall in class i + 1. */
	policyBreaks: number[];
	/** Share (0–1) or count. */
	format: 'percent' | 'count';
	/** Classes the map starts with: the policy thresholds (a colour means the same every day) or quantiles. */
	defaultMethod: 'policy' | 'quantile';
	value(f: AreaFigures): number | null;
}

export const METRICS: Record<MetricId, MetricDefinition> = {
	observed_households: {
		id: 'observed_households',
		label: both('core_metric_observed_households'),
		unit: both('core_unit_households'),
		direction: 'higher_is_worse',
		// Workload bands: one worker can serve about ten observed households a day (a planner setting later).
		policyBreaks: [1, 5, 10, 20],
		format: 'count',
		defaultMethod: 'quantile',
		value: (f) => f.observedHouseholds
	},
	screening_coverage: {
		id: 'screening_coverage',
		label: both('core_metric_screening_coverage'),
		unit: both('core_unit_percent'),
		direction: 'higher_is_better',
		// Policy: ≥ 95 % green, 80–95 % amber, < 80 % red.
		policyBreaks: [0.8, 0.95],
		format: 'percent',
		defaultMethod: 'policy',
		value: (f) => (f.returneesDue > 0 ? f.returneesScreened / f.returneesDue : null)
	},
	checkpoint_staffing: {
		id: 'checkpoint_staffing',
		// A day's three shifts together; the wall's tile for the running shift says 本班 and its hours instead.
		label: both('core_metric_checkpoint_staffing'),
		unit: both('core_unit_percent'),
		direction: 'higher_is_better',
		// Staffed shift-hours ÷ required: ≥ 95 % green, 85–95 % amber, < 85 % red.
		policyBreaks: [0.85, 0.95],
		format: 'percent',
		defaultMethod: 'policy',
		value: (f) => (f.requiredShiftHours > 0 ? f.staffedShiftHours / f.requiredShiftHours : null)
	},
	open_gaps: {
		id: 'open_gaps',
		label: both('core_metric_open_gaps'),
		unit: both('core_unit_items'),
		direction: 'higher_is_worse',
		// None is the goal; one or two is a grid leader's ordinary day; ten or more needs help.
		policyBreaks: [1, 3, 6, 10],
		format: 'count',
		defaultMethod: 'policy',
		value: (f) => f.openGaps ?? null
	}
};

export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

export function isMetricId(value: string): value is MetricId {
	return (METRIC_IDS as string[]).includes(value);
}

export function formatMetricValue(
	metric: MetricDefinition,
	value: number | null,
	lang: Lang
): string {
	if (value === null) return words(lang).core_no_data_value();
	if (metric.format === 'percent') return `${(value * 100).toFixed(1)}%`;
	return `${Math.round(value).toLocaleString(lang)}`;
}
