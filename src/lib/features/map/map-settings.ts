import {
	CLASS_METHODS,
	NORMALISATIONS,
	type ClassMethod,
	type Normalisation
} from '../../map/legend';
import { isMetricId, type MetricId } from '../../domain/metrics';
import {
	formatLayers,
	formatView,
	parseLayers,
	parseView,
	type LayerState,
	type MapView
} from '../../map/layers';

/** The desk map's settings, all kept in the address so that a copied link reproduces the view. */
export interface MapSettings {
	metric: MetricId;
	level: 'grid' | 'community';
	date: string;
	selectedCode: string | null;
	/** null: the metric's own classing method. */
	method: ClassMethod | null;
	/** 3 to 7 classes. */
	classCount: number;
	normalisation: Normalisation;
	/** Days back to compare with; 0 shows the day itself (at most 30). */
	compare: number;
	/** Drill-down: '' the subdistrict, a 12-digit community code, or a 4-digit grid code. */
	drill: string;
	layers: LayerState;
	view: MapView | null;
	tableOpen: boolean;
}

/** The settings a query string asks for, each checked; what is missing or invalid takes its default. */
export function readSettings(
	query: URLSearchParams,
	period: { first: string; last: string }
): MapSettings {
	const date = query.get('date') ?? '';
	const method = query.get('classes');
	const normalisation = query.get('per');
	const drill = query.get('drill') ?? '';
	return {
		metric: isMetricId(query.get('metric') ?? '')
			? (query.get('metric') as MetricId)
			: 'screening_coverage',
		level: query.get('level') === 'community' ? 'community' : 'grid',
		date: date >= period.first && date <= period.last ? date : period.last,
		selectedCode: query.get('select'),
		method: CLASS_METHODS.includes(method as ClassMethod) ? (method as ClassMethod) : null,
		classCount: Math.min(7, Math.max(3, Number(query.get('n')) || 5)),
		normalisation: NORMALISATIONS.includes(normalisation as Normalisation)
			? (normalisation as Normalisation)
			: 'count',
		compare: Math.min(30, Math.max(0, Math.round(Number(query.get('compare'))) || 0)),
		drill: /^(\d{12}|\d{4})$/.test(drill) ? drill : '',
		layers: parseLayers(query.get('layers'), query.get('shift')),
		view: parseView(query.get('at')),
		tableOpen: query.get('table') === '1'
	};
}

/** Writes the settings into `query`, leaving out those at their default and keeping other parameters. */
export function writeSettings(query: URLSearchParams, settings: MapSettings): void {
	const set = (key: string, value: string | null) =>
		value ? query.set(key, value) : query.delete(key);
	set('metric', settings.metric);
	set('level', settings.level);
	set('date', settings.date);
	set('select', settings.selectedCode);
	set('classes', settings.method);
	set('n', String(settings.classCount));
	set('per', settings.normalisation !== 'count' ? settings.normalisation : null);
	set('compare', settings.compare > 0 ? String(settings.compare) : null);
	set('drill', settings.drill || null);
	set('layers', formatLayers(settings.layers) || null);
	set('shift', settings.layers.checkpoints ? settings.layers.shift : null);
	set('at', settings.view ? formatView(settings.view) : null);
	set('table', settings.tableOpen ? '1' : null);
}

/** The query string of /api/export for the table on show (without `format`). */
export function exportQuery(settings: MapSettings, en: boolean): string {
	const query: Record<string, string> = {
		metric: settings.metric,
		level: settings.level,
		date: settings.date,
		n: String(settings.classCount),
		lang: en ? 'en' : 'zh'
	};
	if (settings.method) query.classes = settings.method;
	if (settings.normalisation !== 'count') query.per = settings.normalisation;
	if (settings.compare > 0) query.compare = String(settings.compare);
	if (settings.drill) query.drill = settings.drill;
	return Object.entries(query)
		.map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
		.join('&');
}
