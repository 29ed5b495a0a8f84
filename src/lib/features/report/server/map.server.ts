/**
 * The daily report's map as inline SVG (nothing to fetch, prints as vectors): grids shaded by one
 * metric, community outlines with their names, communities without a report for the day outlined
 * in dashes (未上报: "no report" is not "zero"), grids below the metric's target hatched, and a
 * scale bar. The legend counts each.
 */
import type { Feature } from 'geojson';
import type { AreaFeature } from '../../map/contract';
import { METRICS, type MetricId } from '../../../domain/metrics';
import { shadeAreas, type ShadedArea } from '../../../map/legend';
import { labelPoint } from '../../../map/map-helpers';
import { labelText } from '../../../map/map-text';
import { LocalProjection } from '../../../domain/geo';
import { words, type Lang } from '../../../core/i18n';

export const esc = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

const WIDTH = 1000;
const UNREPORTED = '#b3261e';
type Polygons = number[][][][];
const polygonsOf = (f: AreaFeature) => (f.geometry as { coordinates: Polygons }).coordinates;

/** The target a "higher is better" metric is held to: its top policy threshold (95 % for coverage); null when none applies. */
export function targetOf(metric: MetricId): number | null {
	const m = METRICS[metric];
	return m.direction === 'higher_is_better' && m.format === 'percent'
		? m.policyBreaks.at(-1)!
		: null;
}

/** A round length (1, 2 or 5 × 10ⁿ metres) near a fifth of the map's width, for the scale bar. */
export function scaleBarMeters(mapWidthMeters: number): number {
	const rough = mapWidthMeters / 5;
	const power = 10 ** Math.floor(Math.log10(rough));
	return [5, 2, 1].map((k) => k * power).find((m) => m <= rough) ?? power;
}

export function reportMap(
	grids: AreaFeature[],
	communities: AreaFeature[],
	metric: MetricId,
	day: string,
	lang: Lang
): { svg: string; legend: string } {
	const w = words(lang);
	const shading = shadeAreas(
		metric,
		grids.map((g) => g.properties as ShadedArea),
		lang
	);
	const first = polygonsOf(grids[0] ?? communities[0])?.[0]?.[0]?.[0] ?? [120.35, 30.3];
	const plane = new LocalProjection([first[0], first[1]]);
	let minX = Infinity,
		minY = Infinity,
		maxX = -Infinity,
		maxY = -Infinity;
	for (const f of [...grids, ...communities]) {
		for (const polygon of polygonsOf(f)) {
			for (const p of polygon[0]) {
				const [x, y] = plane.toLocal([p[0], p[1]]);
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
				minY = Math.min(minY, y);
				maxY = Math.max(maxY, y);
			}
		}
	}
	const scale = WIDTH / (maxX - minX);
	const height = Math.ceil((maxY - minY) * scale);
	const toSvg = (p: number[]) => {
		const [x, y] = plane.toLocal([p[0], p[1]]);
		return [(x - minX) * scale, (maxY - y) * scale];
	};
	const path = (f: AreaFeature) =>
		polygonsOf(f)
			.map((polygon) =>
				polygon
					.map(
						(ring) =>
							`M${ring
								.map((p) =>
									toSvg(p)
										.map((v) => v.toFixed(1))
										.join(',')
								)
								.join('L')}Z`
					)
					.join('')
			)
			.join('');

	const target = targetOf(metric);
	const below =
		target === null
			? []
			: grids.filter((g) => {
					const v = shading.valueOf(g.properties as ShadedArea);
					return v !== null && v < target;
				});
	const unreported = communities.filter((c) => c.properties.lastReportDate !== day);
	const fills = grids
		.map(
			(g) =>
				`<path d="${path(g)}" fill="rgb(${shading.colorOf(g.properties as ShadedArea).join(',')})" stroke="#fff" stroke-width="1"/>`
		)
		.join('');
	const hatches = below
		.map(
			(g) =>
				`<path d="${path(g)}" fill="url(#below-target)" stroke="none" data-below="${esc(g.properties.code)}"/>`
		)
		.join('');
	const outlines = communities
		.map((c) => `<path d="${path(c)}" fill="none" stroke="#333" stroke-width="2.5"/>`)
		.join('');
	const missing = unreported
		.map(
			(c) =>
				`<path d="${path(c)}" fill="none" stroke="${UNREPORTED}" stroke-width="5" stroke-dasharray="12 6" data-unreported="${esc(c.properties.code)}"/>`
		)
		.join('');
	const labels = communities
		.map((c) => {
			const [x, y] = toSvg(labelPoint(c as unknown as Feature));
			const name = labelText(c, lang);
			const missingTag =
				c.properties.lastReportDate !== day
					? `<tspan x="${x.toFixed(1)}" dy="1.1em" class="missing">${w.core_no_report()}</tspan>`
					: '';
			return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="label">${esc(name)}${missingTag}</text>`;
		})
		.join('');
	// The scale bar: a round length, bottom left, in the map's own metres.
	const meters = scaleBarMeters(maxX - minX);
	const barPx = meters * scale;
	const barText = meters >= 1000 ? `${meters / 1000} km` : `${meters} m`;
	const bar = `<g class="scale" transform="translate(20,${height - 24})"><rect x="-6" y="-32" width="${(barPx + 12).toFixed(1)}" height="44" fill="#fff" fill-opacity="0.85"/><path d="M0,0H${barPx.toFixed(1)}M0,-6V0M${barPx.toFixed(1)},-6V0" stroke="#1b2230" stroke-width="4" fill="none"/><text x="0" y="-12" class="scale-text">${barText}</text></g>`;
	const defs = `<defs><pattern id="below-target" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="9" stroke="#1b2230" stroke-width="2" stroke-opacity="0.55"/></pattern></defs>`;
	const style = `<style>.label{font:600 22px 'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;text-anchor:middle;dominant-baseline:middle;fill:#1b2230;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}.label .missing{fill:${UNREPORTED};font-size:19px}.scale-text{font:600 20px sans-serif;fill:#1b2230}</style>`;
	const svg = `<svg viewBox="0 0 ${WIDTH} ${height}" class="map" role="img" aria-label="${esc(METRICS[metric].label[lang])}">${defs}${style}${fills}${hatches}${outlines}${missing}${labels}${bar}</svg>`;

	const entries = shading.entries.map(
		(e) =>
			`<span class="key"><i style="background:rgb(${e.color.join(',')})"></i>${esc(e.label)} <b>${e.count}</b></span>`
	);
	if (target !== null)
		entries.push(
			`<span class="key" data-testid="legend-below"><i class="hatch"></i>${w.report_map_below_target({ percent: Math.round(target * 100) })} <b>${below.length}</b></span>`
		);
	entries.push(
		`<span class="key" data-testid="legend-unreported"><i class="dash"></i>${w.report_map_unreported()} <b>${unreported.length}</b></span>`
	);
	return { svg, legend: entries.join('') };
}
