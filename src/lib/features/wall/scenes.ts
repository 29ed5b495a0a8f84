/**
 * The wall screen's briefing: which scenes it rotates through, and what counts as a gap worth a
 * zoomed scene. Pure functions, shared by the page and the tests.
 */
import { isMetricId, METRICS, type AreaFigures, type MetricId } from '../../domain/metrics';
import { words, type Lang } from '../../core/i18n';

export type SceneSpec = { kind: 'metric'; metric: MetricId } | { kind: 'gaps' };
export type Scene =
	| { kind: 'metric'; metric: MetricId }
	| {
			kind: 'community';
			metric: MetricId;
			code: string;
			name: string;
			nameEn: string;
			reason: string;
			reasonEn: string;
	  };

export const DEFAULT_SCENES: SceneSpec[] = [
	{ kind: 'metric', metric: 'observed_households' },
	{ kind: 'metric', metric: 'screening_coverage' },
	{ kind: 'metric', metric: 'checkpoint_staffing' },
	{ kind: 'gaps' }
];
export const DEFAULT_SECONDS = 20;

/** "observed_households,screening_coverage,gaps" → scene specs; unknown names are reported, not dropped silently. */
export function parseScenes(text: string | null): { scenes: SceneSpec[]; unknown: string[] } {
	if (!text) return { scenes: DEFAULT_SCENES, unknown: [] };
	const scenes: SceneSpec[] = [];
	const unknown: string[] = [];
	for (const part of text
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean)) {
		if (part === 'gaps') scenes.push({ kind: 'gaps' });
		else if (isMetricId(part)) scenes.push({ kind: 'metric', metric: part });
		else unknown.push(part);
	}
	return { scenes: scenes.length ? scenes : DEFAULT_SCENES, unknown };
}

export function parseSeconds(text: string | null): number {
	const n = Number(text);
	return Number.isFinite(n) && n >= 5 && n <= 600 ? Math.round(n) : DEFAULT_SECONDS;
}

export interface CommunityFigures extends AreaFigures {
	code: string;
	name: string;
	nameEn: string;
	lastReportDate: string | null;
}

/**
 * A community has a gap when its coverage or staffing falls below the green policy threshold, or
 * it has not reported for the day. Worst first; each with the metric to show and a reason.
 */
export function communitiesWithGaps(communities: CommunityFigures[], day: string): Scene[] {
	const gaps: { scene: Scene; badness: number }[] = [];
	for (const c of communities) {
		const coverage = METRICS.screening_coverage.value(c);
		const staffing = METRICS.checkpoint_staffing.value(c);
		const coverageTarget = METRICS.screening_coverage.policyBreaks.at(-1)!;
		const staffingTarget = METRICS.checkpoint_staffing.policyBreaks.at(-1)!;
		const coverageGap =
			coverage !== null && coverage < coverageTarget ? coverageTarget - coverage : 0;
		const staffingGap =
			staffing !== null && staffing < staffingTarget ? staffingTarget - staffing : 0;
		const unreported = c.lastReportDate !== day;
		if (!coverageGap && !staffingGap && !unreported) continue;
		const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
		const metric: MetricId =
			coverageGap >= staffingGap && coverageGap > 0
				? 'screening_coverage'
				: staffingGap > 0
					? 'checkpoint_staffing'
					: 'screening_coverage';
		// Within a sentence the metric's name is in lower case (no change in Chinese).
		const reasonIn = (lang: Lang) => {
			const w = words(lang);
			const named = (metric: MetricId, value: number) =>
				`${METRICS[metric].label[lang].toLocaleLowerCase(lang)} ${pct(value)}`;
			const reasons: string[] = [];
			if (coverageGap) reasons.push(named('screening_coverage', coverage!));
			if (staffingGap) reasons.push(named('checkpoint_staffing', staffing!));
			if (unreported) reasons.push(w.wall_gap_reason_unreported());
			return reasons.join(w.core_comma());
		};
		gaps.push({
			scene: {
				kind: 'community',
				metric,
				code: c.code,
				name: c.name,
				nameEn: c.nameEn,
				reason: reasonIn('zh-CN'),
				reasonEn: reasonIn('en')
			},
			badness: coverageGap + staffingGap + (unreported ? 0.01 : 0)
		});
	}
	return gaps
		.sort(
			(a, b) =>
				b.badness - a.badness ||
				(a.scene as { code: string }).code.localeCompare((b.scene as { code: string }).code)
		)
		.map((g) => g.scene);
}

/** The scenes to rotate through now: each metric scene as it is, "gaps" expanded to its communities. */
export function expandScenes(
	specs: SceneSpec[],
	communities: CommunityFigures[],
	day: string
): Scene[] {
	const out: Scene[] = [];
	for (const spec of specs) {
		if (spec.kind === 'metric') out.push(spec);
		else out.push(...communitiesWithGaps(communities, day));
	}
	return out.length ? out : [{ kind: 'metric', metric: 'screening_coverage' }];
}

/** Worst first: the areas that most need attention for a metric, skipping those without a value. */
export function worstAreas<T extends AreaFigures>(
	areas: T[],
	metric: MetricId,
	count: number
): { area: T; value: number }[] {
	const definition = METRICS[metric];
	return areas
		.map((area) => ({ area, value: definition.value(area) }))
		.filter((x): x is { area: T; value: number } => x.value !== null)
		.sort((a, b) =>
			definition.direction === 'higher_is_worse' ? b.value - a.value : a.value - b.value
		)
		.slice(0, count);
}

/** The scene's title over the map: "全街道 · 排查覆盖率", or the community in focus and why. */
export function sceneTitle(scene: Scene | null, lang: Lang): string {
	if (!scene) return '';
	const w = words(lang);
	const metric = METRICS[scene.metric].label[lang];
	if (scene.kind === 'metric') return w.wall_scene_subdistrict({ metric });
	const en = lang === 'en';
	return w.wall_scene_focus({
		name: en ? scene.nameEn : scene.name,
		reason: en ? scene.reasonEn : scene.reason
	});
}
