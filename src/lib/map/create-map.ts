import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { OFFLINE_STYLE } from './map-helpers';
import { mapLocale } from './map-locale';
import type { MapView as View } from './layers';

/** MapLibre's map on the offline base style, with its controls (none on the wall's dark screen). */
export function createMap(
	container: HTMLElement,
	{
		theme,
		lang,
		initialView
	}: { theme: 'light' | 'dark'; lang: 'zh-CN' | 'en'; initialView: View | null }
): maplibregl.Map {
	maplibregl.setWorkerUrl(workerUrl);
	const map = new maplibregl.Map({
		container,
		style:
			theme === 'dark'
				? {
						...OFFLINE_STYLE,
						layers: [
							{ id: 'background', type: 'background', paint: { 'background-color': '#0b1220' } }
						]
					}
				: OFFLINE_STYLE,
		// The map's own controls named in the user's language (MapLibre's default words are English).
		locale: mapLocale(lang),
		center: initialView ? [initialView.lng, initialView.lat] : [120.35, 30.3],
		zoom: initialView?.zoom ?? 11.5,
		bearing: initialView?.bearing ?? 0,
		pitch: initialView?.pitch ?? 0,
		maxPitch: 70,
		attributionControl: false,
		canvasContextAttributes: { preserveDrawingBuffer: true }
	});
	if (theme !== 'dark') {
		map.addControl(
			new maplibregl.NavigationControl({ showCompass: true, visualizePitch: true }),
			'top-right'
		);
		map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
	}
	return map;
}
