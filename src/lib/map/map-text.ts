/**
 * The map's text (area labels, 未上报 badges, grid codes) placed for the current camera so that
 * nothing overlaps: labels first (at the label point, else a line above or below), then badges (below the label point, else above, else further
 * out), then grid codes. What cannot be placed is left out; an unreported area keeps its orange
 * outline, so a badge left out hides no fact.
 */
import type { Feature, Geometry } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { placeLabels, type LabelCandidate } from './label-placement';
import { labelPoint } from './map-helpers';
import { words, type Lang } from '../core/i18n';

/** Latin then CJK: Chromium on Linux falls back to DejaVu Sans for Arial (see glyphs.ts for its J). */
export const LABEL_FONT =
	'Arial, "Liberation Sans", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

type AreaFeature = Feature<Geometry, { code: string; name: string; nameEn: string }>;

export interface MapText {
	position: [number, number];
	text: string;
	/** Pixel offset from the position, as TextLayer's getPixelOffset. */
	offset: [number, number];
	kind: 'label' | 'badge' | 'code';
}

export interface MapTextInput {
	labels: AreaFeature[];
	unreported: AreaFeature[];
	codeLabels: AreaFeature[];
	lang: 'zh-CN' | 'en';
	labelScale: number;
	dark: boolean;
}

/** The text of an area's label in the user's language. */
export const labelText = (feature: AreaFeature, lang: 'zh-CN' | 'en') =>
	lang === 'en' ? feature.properties.nameEn : feature.properties.name.replace(/社区$/, '');
export const badgeText = (lang: Lang) => words(lang).core_no_report();

let measureContext: CanvasRenderingContext2D | null = null;
function textWidth(text: string, size: number, weight: number | string): number {
	measureContext ??= document.createElement('canvas').getContext('2d');
	if (!measureContext) return text.length * size;
	measureContext.font = `${weight} ${size}px ${LABEL_FONT}`;
	return measureContext.measureText(text).width;
}

export function placeMapText(
	map: MapLibreMap,
	input: MapTextInput
): Record<'labels' | 'badges' | 'codes', MapText[]> {
	const { labelScale, lang } = input;
	const candidates: LabelCandidate<MapText>[] = [];
	const add = (
		feature: AreaFeature,
		kind: MapText['kind'],
		text: string,
		size: number,
		weight: number | string,
		padding: [number, number],
		offsets: [number, number][]
	) => {
		const position = labelPoint(feature);
		const p = map.project(position);
		const width = textWidth(text, size, weight) + 2 * padding[0];
		candidates.push({
			item: { position, text, offset: offsets[0], kind },
			x: p.x,
			y: p.y,
			width,
			height: size + 2 * padding[1],
			offsets
		});
	};
	const labelSize = (input.dark ? 18 : 14) * labelScale;
	const addLabels = () => {
		// A name that would touch one placed before it moves one line up or down rather than vanish
		// (two centroids a label-height apart must not cost a community its name).
		const line = labelSize + 2 * 2 + 4;
		for (const f of input.labels)
			add(
				f,
				'label',
				labelText(f, lang),
				labelSize,
				600,
				[4, 2],
				[
					[0, 0],
					[0, -line],
					[0, line]
				]
			);
	};
	// On the desk a place's name comes first; on the wall the 未上报 badges do (read from 5 m, they are the
	// point of the scene), and a name that would collide with one gives way.
	if (!input.dark) addLabels();
	// The wall's badges are read from 5 m (over 2 % of the screen's height): larger, further out.
	const badgeSize = (input.dark ? 21 : 12) * labelScale;
	const step = (input.dark ? 26 : 18) * labelScale;
	for (const f of input.unreported)
		add(
			f,
			'badge',
			badgeText(lang),
			badgeSize,
			'normal',
			input.dark ? [6 * labelScale, 4 * labelScale] : [3, 1],
			[
				[0, step],
				[0, -step],
				[0, 0],
				[0, 2 * step],
				[0, -2 * step]
			]
		);
	if (input.dark) addLabels();
	for (const f of input.codeLabels)
		add(
			f,
			'code',
			f.properties.code,
			11,
			'normal',
			[2, 1],
			[
				[0, -14],
				[0, 0],
				[0, 14]
			]
		);
	const placed = placeLabels(candidates);
	const of = (kind: MapText['kind']) =>
		placed.filter((p) => p.item.kind === kind).map((p) => ({ ...p.item, offset: p.offset }));
	return { labels: of('label'), badges: of('badge'), codes: of('code') };
}
