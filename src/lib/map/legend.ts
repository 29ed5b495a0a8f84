import { classCounts, classOf, policyScheme, quantileScheme, rampColors, NO_DATA_COLOR, type ClassScheme } from '../domain/classify';
import { formatMetricValue, METRICS, type AreaFigures, type MetricId } from '../domain/metrics';
import type { Lang } from '../i18n';

export type Rgb = [number, number, number];

export interface LegendEntry {
	label: string;
	color: Rgb;
	count: number;
	noData?: boolean;
}

export interface Shading {
	scheme: ClassScheme;
	colors: Rgb[];
	entries: LegendEntry[];
	colorOf(figures: AreaFigures): Rgb;
}

/**
 * Classes and colours for one metric over a set of areas: policy thresholds for the ratios
 * (so a colour means the same every day), quantiles for counts.
 */
export function shadeAreas(metricId: MetricId, areas: AreaFigures[], lang: Lang): Shading {
	const metric = METRICS[metricId];
	const values = areas.map((a) => metric.value(a));
	const scheme = metric.format === 'percent' ? policyScheme(metric.policyBreaks) : quantileScheme(values, 5);
	const colors = rampColors(scheme.classCount, metric.direction);
	const counts = classCounts(values, scheme);
	const fmt = (v: number) => formatMetricValue(metric, v, lang);
	const entries: LegendEntry[] = colors.map((color, i) => {
		const low = i === 0 ? null : scheme.breaks[i - 1];
		const high = i < scheme.breaks.length ? scheme.breaks[i] : null;
		let label: string;
		if (low === null && high === null) label = lang === 'en' ? 'all' : '全部';
		else if (low === null) label = `< ${fmt(high as number)}`;
		else if (high === null) label = `≥ ${fmt(low)}`;
		else label = `${fmt(low)} – < ${fmt(high)}`;
		return { label, color, count: counts[i] };
	});
	entries.push({ label: lang === 'en' ? 'No data' : '无数据', color: NO_DATA_COLOR, count: counts[scheme.classCount], noData: true });
	return {
		scheme,
		colors,
		entries,
		colorOf(figures) {
			const c = classOf(metric.value(figures), scheme);
			return c === null ? NO_DATA_COLOR : colors[c];
		}
	};
}
