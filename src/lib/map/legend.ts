import {
	ckmeansScheme,
	classCounts,
	classOf,
	divergingColors,
	divergingScheme,
	equalIntervalScheme,
	policyScheme,
	quantileScheme,
	rampColors,
	NO_DATA_COLOR,
	type ClassScheme
} from '../domain/classify';
import { formatMetricValue, METRICS, type AreaFigures, type MetricId } from '../domain/metrics';
import { both, words, type Bilingual, type Lang } from '../core/i18n';
import { NO_DATA_BY_THEME, WITHHELD_FILL, type Theme } from './palette';

export type Rgb = [number, number, number];
export type ClassMethod = 'policy' | 'quantile' | 'equal' | 'ckmeans';
export type Normalisation = 'count' | 'per_1000_households' | 'per_km2';
export const CLASS_METHODS: ClassMethod[] = ['policy', 'quantile', 'equal', 'ckmeans'];
export const NORMALISATIONS: Normalisation[] = ['count', 'per_1000_households', 'per_km2'];
/** The class methods and normalisations in words (the legend's menus and the exports' metadata). */
export const METHOD_LABELS: Record<ClassMethod, Bilingual> = {
	policy: both('map_method_policy'),
	quantile: both('map_method_quantile'),
	equal: both('map_method_equal'),
	ckmeans: both('map_method_ckmeans')
};
export const NORMALISATION_LABELS: Record<Normalisation, Bilingual> = {
	count: both('map_normalisation_count'),
	per_1000_households: both('map_normalisation_per_1000_households'),
	per_km2: both('map_normalisation_per_km2')
};

export interface LegendEntry {
	label: string;
	color: Rgb;
	count: number;
	noData?: boolean;
	/** Areas whose count is under the wall's k: drawn hatched, never as no data. */
	withheld?: boolean;
}

export interface ShadingOptions {
	method?: ClassMethod;
	classCount?: number;
	normalisation?: Normalisation;
	/** The map's theme: no-data and withheld colours are chosen per theme (palette.ts). */
	theme?: Theme;
	/** Counts from 1 to k−1 were withheld by the server (a wall link's k); null or absent when none. */
	suppressBelow?: number | null;
}

export type ShadedArea = AreaFigures & { areaKm2?: number; code?: string; suppressed?: string[] };

/**
 * Whether an area has no value only because the server withheld a small count (suppression.ts):
 * with the withheld fields set to any count the metric would have a value.
 */
export function isWithheld(metricId: MetricId, area: ShadedArea): boolean {
	if (!area.suppressed?.length) return false;
	const metric = METRICS[metricId];
	if (metric.value(area) !== null) return false;
	return (
		metric.value({ ...area, ...Object.fromEntries(area.suppressed.map((key) => [key, 1])) }) !==
		null
	);
}

export interface Shading {
	scheme: ClassScheme;
	colors: Rgb[];
	entries: LegendEntry[];
	method: ClassMethod;
	normalisation: Normalisation;
	valueOf(area: ShadedArea): number | null;
	format(value: number | null): string;
	colorOf(area: ShadedArea): Rgb;
	/** Whether the area is drawn hatched as withheld (under k) instead of in a class. */
	withheldOf(area: ShadedArea): boolean;
	/** Set on a change map. */
	change?: { days: number; title: string };
}

/**
 * The note beside the legend's date while that day is the server clock's own and not over: its
 * figures count only what has happened so far (staffing counts only the shifts begun by now).
 */
export function soFarNote(inProgress: boolean, lang: Lang): string | null {
	if (!inProgress) return null;
	return words(lang).map_so_far_today();
}

/** Per 1,000 registered households or per km² apply to counts; ratios are shown as they are. */
export function normalisable(metricId: MetricId): boolean {
	return METRICS[metricId].format === 'count';
}

/**
 * Classes and colours for one metric over a set of areas. Default: fixed policy thresholds for
 * ratios (a colour means the same on every day and at every level) and quantiles for counts.
 */
export function shadeAreas(
	metricId: MetricId,
	areas: ShadedArea[],
	lang: Lang,
	options: ShadingOptions = {}
): Shading {
	const metric = METRICS[metricId];
	const w = words(lang);
	const normalisation: Normalisation = normalisable(metricId)
		? (options.normalisation ?? 'count')
		: 'count';
	const valueOf = (area: ShadedArea): number | null => {
		const raw = metric.value(area);
		if (raw === null || normalisation === 'count') return raw;
		if (normalisation === 'per_1000_households')
			return area.householdsRegistered > 0 ? (raw / area.householdsRegistered) * 1000 : null;
		return area.areaKm2 && area.areaKm2 > 0 ? raw / area.areaKm2 : null;
	};
	const values = areas.map(valueOf);
	const classCount = Math.min(7, Math.max(3, options.classCount ?? 5));
	const policyApplies = metric.format === 'percent' || normalisation === 'count';
	const method: ClassMethod =
		options.method && (options.method !== 'policy' || policyApplies)
			? options.method
			: policyApplies
				? metric.defaultMethod
				: 'quantile';
	const scheme =
		method === 'policy'
			? policyScheme(metric.policyBreaks)
			: method === 'equal'
				? equalIntervalScheme(values, classCount)
				: method === 'ckmeans'
					? ckmeansScheme(values, classCount)
					: quantileScheme(values, classCount);
	const colors = rampColors(scheme.classCount, metric.direction);
	const counts = classCounts(values, scheme);
	const format = (v: number | null) =>
		v === null
			? formatMetricValue(metric, null, lang)
			: normalisation === 'count'
				? formatMetricValue(metric, v, lang)
				: v.toLocaleString(lang, { maximumFractionDigits: 1 });
	const entries: LegendEntry[] = colors.map((color, i) => {
		const low = i === 0 ? null : scheme.breaks[i - 1];
		const high = i < scheme.breaks.length ? scheme.breaks[i] : null;
		let label: string;
		if (low === null && high === null) label = w.map_class_all();
		else if (low === null) label = `< ${format(high)}`;
		else if (high === null) label = `≥ ${format(low)}`;
		else label = `${format(low)} – < ${format(high)}`;
		return { label, color, count: counts[i] };
	});
	const theme = options.theme ?? 'light';
	const k = options.suppressBelow ?? null;
	const withheldOf = (area: ShadedArea) => k !== null && isWithheld(metricId, area);
	const withheld = k === null ? 0 : areas.filter(withheldOf).length;
	entries.push({
		label: w.map_legend_no_data(),
		color: NO_DATA_BY_THEME[theme],
		count: counts[scheme.classCount] - withheld,
		noData: true
	});
	if (k !== null)
		entries.push({
			label: w.map_withheld_below({ k }),
			color: WITHHELD_FILL[theme],
			count: withheld,
			withheld: true
		});
	return {
		scheme,
		colors,
		entries,
		method,
		normalisation,
		valueOf,
		format,
		withheldOf,
		colorOf(area) {
			const c = classOf(valueOf(area), scheme);
			return c !== null
				? colors[c]
				: withheldOf(area)
					? WITHHELD_FILL[theme]
					: NO_DATA_BY_THEME[theme];
		}
	};
}

/**
 * A change map: each area's value now minus its value `days` earlier, in a diverging ramp
 * around zero (orange for the worse, purple for the better, given the metric's direction).
 * Ratios change in percentage points; counts in their unit (normalised if asked).
 */
export function shadeChange(
	metricId: MetricId,
	areas: ShadedArea[],
	before: ShadedArea[],
	days: number,
	lang: Lang,
	options: ShadingOptions = {}
): Shading {
	const metric = METRICS[metricId];
	const w = words(lang);
	const level = shadeAreas(metricId, [], lang, { normalisation: options.normalisation });
	const earlier = new Map(before.map((area) => [area.code, area]));
	const valueOf = (area: ShadedArea): number | null => {
		const past = earlier.get(area.code);
		const now = level.valueOf(area);
		const then = past ? level.valueOf(past) : null;
		return now === null || then === null ? null : now - then;
	};
	const values = areas.map(valueOf);
	const percent = metric.format === 'percent';
	const scheme = divergingScheme(
		values,
		options.classCount ?? 5,
		percent ? 0.005 : level.normalisation === 'count' ? 1 : 0.1
	);
	const colors = divergingColors(scheme.classCount, metric.direction);
	const counts = classCounts(values, scheme);
	const format = (v: number | null): string => {
		if (v === null) return w.core_no_data_value();
		const sign = v > 0 ? '+' : v < 0 ? '−' : '±';
		const size = Math.abs(v);
		if (percent)
			return w.map_change_pp({
				change: `${sign}${(size * 100).toLocaleString(lang, { maximumFractionDigits: 1 })}`
			});
		return `${sign}${size.toLocaleString(lang, { maximumFractionDigits: level.normalisation === 'count' ? 0 : 1 })}`;
	};
	const entries: LegendEntry[] = colors.map((color, i) => {
		const low = i === 0 ? null : scheme.breaks[i - 1];
		const high = i < scheme.breaks.length ? scheme.breaks[i] : null;
		let label: string;
		if (low === null) label = `< ${format(high)}`;
		else if (high === null) label = `≥ ${format(low)}`;
		else if (low < 0 && high > 0)
			label = w.map_about_the_same({ low: format(low), high: format(high) });
		else label = `${format(low)} – < ${format(high)}`;
		return { label, color, count: counts[i] };
	});
	entries.push({
		label: w.map_legend_no_data(),
		color: NO_DATA_COLOR,
		count: counts[scheme.classCount],
		noData: true
	});
	const title = days === 1 ? w.map_change_over_one_day({ days }) : w.map_change_over_days({ days });
	return {
		scheme,
		colors,
		entries,
		method: 'equal',
		normalisation: level.normalisation,
		valueOf,
		format,
		change: { days, title },
		withheldOf: () => false,
		colorOf(area) {
			const c = classOf(valueOf(area), scheme);
			return c === null ? NO_DATA_COLOR : colors[c];
		}
	};
}
