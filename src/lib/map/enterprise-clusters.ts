/**
 * Enterprises clustered by MapLibre (a GeoJSON source with `cluster: true`) until zoomed in.
 * MapLibre does the clustering in its worker; deck.gl draws the circles and counts above the
 * choropleth (the base map's canvas lies under deck's, and the offline style has no glyphs for
 * MapLibre to write counts with). An invisible circle layer keeps the source's tiles loaded.
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import type { ResumptionPoint } from './layers';

export const ENTERPRISE_SOURCE = 'enterprises';
const PROBE_LAYER = 'enterprises-probe';
/** Past this zoom (about 1:8,000) every enterprise is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 15;

export type EnterpriseMark =
	| {
			kind: 'cluster';
			clusterId: number;
			position: [number, number];
			count: number;
			resumed: number;
	  }
	| { kind: 'point'; point: ResumptionPoint };

function toCollection(
	points: ResumptionPoint[]
): FeatureCollection<Point, { index: number; resumed: number }> {
	return {
		type: 'FeatureCollection',
		features: points.map((p, index) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: p.position },
			properties: { index, resumed: p.resumed ? 1 : 0 }
		}))
	};
}

/** Hands the enterprises to MapLibre's clustering (adding the source on first use). */
export function setEnterpriseSource(map: MapLibreMap, points: ResumptionPoint[]): void {
	const source = map.getSource(ENTERPRISE_SOURCE) as GeoJSONSource | undefined;
	if (source) {
		source.setData(toCollection(points));
		return;
	}
	map.addSource(ENTERPRISE_SOURCE, {
		type: 'geojson',
		data: toCollection(points),
		cluster: true,
		clusterRadius: 48,
		clusterMaxZoom: CLUSTER_MAX_ZOOM - 1,
		// How many in a cluster have resumed, for its tooltip-free summary and the tests.
		clusterProperties: { resumed: ['+', ['get', 'resumed']] }
	});
	map.addLayer({
		id: PROBE_LAYER,
		type: 'circle',
		source: ENTERPRISE_SOURCE,
		paint: { 'circle-opacity': 0, 'circle-stroke-opacity': 0, 'circle-radius': 1 }
	});
}

/** The clusters and single enterprises MapLibre holds for the current view, each once. */
export function readEnterpriseMarks(map: MapLibreMap, points: ResumptionPoint[]): EnterpriseMark[] {
	if (!map.getSource(ENTERPRISE_SOURCE)) return [];
	const marks: EnterpriseMark[] = [];
	const seen = new Set<string>();
	for (const feature of map.querySourceFeatures(ENTERPRISE_SOURCE)) {
		const props = feature.properties as {
			cluster?: boolean;
			cluster_id?: number;
			point_count?: number;
			resumed?: number;
			index?: number;
		};
		const key = props.cluster ? `c${props.cluster_id}` : `p${props.index}`;
		if (seen.has(key)) continue; // a feature near a tile edge comes back once per tile
		seen.add(key);
		if (props.cluster && feature.geometry.type === 'Point') {
			marks.push({
				kind: 'cluster',
				clusterId: props.cluster_id ?? 0,
				position: feature.geometry.coordinates as [number, number],
				count: props.point_count ?? 0,
				resumed: props.resumed ?? 0
			});
		} else if (props.index !== undefined && points[props.index]) {
			marks.push({ kind: 'point', point: points[props.index] });
		}
	}
	return marks;
}

/** Zooms in far enough to split a cluster. */
export async function expandCluster(
	map: MapLibreMap,
	mark: Extract<EnterpriseMark, { kind: 'cluster' }>,
	duration: number
): Promise<void> {
	const source = map.getSource(ENTERPRISE_SOURCE) as GeoJSONSource | undefined;
	if (!source) return;
	const zoom = await source.getClusterExpansionZoom(mark.clusterId);
	map.easeTo({ center: mark.position, zoom, duration });
}
