/**
 * MapLibre's own control words (button titles, the scale bar's units) in the user's language, passed
 * as the map's `locale` so a Chinese page names its controls in Chinese. The English words are
 * MapLibre's own defaults.
 */
import { words, type Lang } from '../core/i18n';

export function mapLocale(lang: Lang): Record<string, string> {
	const w = words(lang);
	return {
		'AttributionControl.ToggleAttribution': w.map_maplibre_attribution_toggle_attribution(),
		'AttributionControl.MapFeedback': w.map_maplibre_attribution_map_feedback(),
		'FullscreenControl.Enter': w.map_maplibre_fullscreen_enter(),
		'FullscreenControl.Exit': w.map_maplibre_fullscreen_exit(),
		'GeolocateControl.FindMyLocation': w.map_maplibre_geolocate_find_my_location(),
		'GeolocateControl.LocationNotAvailable': w.map_maplibre_geolocate_location_not_available(),
		'LogoControl.Title': w.map_maplibre_logo_title(),
		'NavigationControl.ResetBearing': w.map_maplibre_navigation_reset_bearing(),
		'NavigationControl.ZoomIn': w.map_maplibre_navigation_zoom_in(),
		'NavigationControl.ZoomOut': w.map_maplibre_navigation_zoom_out(),
		'ScaleControl.Feet': w.map_maplibre_scale_feet(),
		'ScaleControl.Meters': w.map_maplibre_scale_meters(),
		'ScaleControl.Kilometers': w.map_maplibre_scale_kilometers(),
		'ScaleControl.Miles': w.map_maplibre_scale_miles(),
		'ScaleControl.NauticalMiles': w.map_maplibre_scale_nautical_miles(),
		'GlobeControl.Enable': w.map_maplibre_globe_enable(),
		'GlobeControl.Disable': w.map_maplibre_globe_disable(),
		'TerrainControl.Enable': w.map_maplibre_terrain_enable(),
		'TerrainControl.Disable': w.map_maplibre_terrain_disable()
	};
}
