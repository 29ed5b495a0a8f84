/**
 * The map's point and aggregate layers: what the server sends and how each is coloured.
 * Shared by the server (queries) and the page.
 */
import type { LngLat } from '../domain/geo';
import type { Rgb } from './legend';
import { classCounts, classOf, quantileScheme } from '../domain/classify';

import { SHIFTS, type ShiftName } from '../core/time';
import { both, words, type Bilingual, type Lang } from '../core/i18n';

export type StaffingStatus = 'full' | 'short' | 'empty' | 'not_held';

export interface CheckpointPoint {
	code: string;
	name: string;
	kind: 'gate' | 'building' | 'road';
	gridCode: string | null;
	communityName: string | null;
	requiredStaff: number;
	assigned: number;
	present: number;
	status: StaffingStatus;
	position: LngLat;
}

export interface ResumptionPoint {
	code: string;
	name: string;
	gridCode: string | null;
	/** Enterprises: staff on the books; projects: workers expected. */
	staff: number;
	/** Arrived by the day; 0 before the unit resumed. */
	arrived: number;
	resumed: boolean;
	resumedOn: string | null;
	/** Projects only: construction progress, %. */
	progressPct?: number;
	position: LngLat;
}

export interface Hexagon {
	q: number;
	r: number;
	/** Households under observation in the cell; null when withheld as a small count. */
	households: number | null;
	ring: LngLat[];
}

export interface Building {
	code: string;
	compoundCode: string | null;
	floors: number;
	households: number;
	position: LngLat;
}

/** The map's camera, kept in the address. */
export interface MapView {
	lng: number;
	lat: number;
	zoom: number;
	bearing: number;
	pitch: number;
}

/**
 * The overlays' palettes. Each is its own, chosen from hues the choropleth never uses (black, magenta,
 * green, teal, plum), so a point or hexagon cannot be read as the class of the area beneath it: every
 * colour here is at least OVERLAY_MIN_DELTA_E (CIEDE2000) from every class colour as drawn, on both
 * themes (tests/unit/overlay-palette.test.ts computes it).
 */
export const OVERLAY_MIN_DELTA_E = 15;

/** Checkpoint staffing: black when fully staffed, pink when short, magenta when nobody is there. */
export const STATUS_COLORS: Record<Exclude<StaffingStatus, 'not_held'>, Rgb> = {
	full: [0, 0, 0],
	short: [255, 160, 220],
	empty: [231, 41, 138]
};
/** A post not held this shift is drawn as an empty ring: nothing to staff, nothing to colour. */
export const NOT_HELD_RING: Rgb = [0, 0, 0];
/** The fill of a checkpoint of `status`: [r, g, b, alpha]; transparent when the post is not held. */
export const checkpointFill = (status: StaffingStatus): [number, number, number, number] =>
	status === 'not_held' ? [0, 0, 0, 0] : [...STATUS_COLORS[status], 255];

/** Observed households per hexagon: a sequential green ramp (ColorBrewer Greens, light to dark). */
export const HEXAGON_RAMP: Rgb[] = [
	[161, 217, 155],
	[116, 196, 118],
	[65, 171, 93],
	[35, 139, 69],
	[0, 90, 50]
];
/** A hexagon whose count is withheld (fewer than k) is an outline in the ramp's darkest green. */
export const HEXAGON_WITHHELD_LINE: Rgb = [0, 90, 50];

/** Enterprises and projects: teal for resumed, plum for not yet; clusters of enterprises in charcoal (they mix both). */
export const RESUMPTION_COLORS: { resumed: Rgb; waiting: Rgb } = {
	resumed: [1, 133, 113],
	waiting: [142, 1, 82]
};
export const CLUSTER_COLOR: Rgb = [30, 30, 30];

export const STATUS_LABELS: Record<StaffingStatus, Bilingual> = {
	full: both('map_status_full'),
	short: both('map_status_short'),
	empty: both('map_status_empty'),
	not_held: both('map_status_not_held')
};

/** "lng,lat,zoom,bearing,pitch" ⇄ a view; null when the text is not a valid view. */
export function parseView(text: string | null): MapView | null {
	if (!text) return null;
	const parts = text.split(',').map(Number);
	if (parts.length < 3 || parts.some((n) => !Number.isFinite(n))) return null;
	const [lng, lat, zoom, bearing = 0, pitch = 0] = parts;
	if (
		lng < -180 ||
		lng > 180 ||
		lat < -85 ||
		lat > 85 ||
		zoom < 0 ||
		zoom > 22 ||
		pitch < 0 ||
		pitch > 85
	)
		return null;
	return { lng, lat, zoom, bearing, pitch };
}

export function formatView(view: MapView): string {
	return [
		view.lng.toFixed(5),
		view.lat.toFixed(5),
		view.zoom.toFixed(2),
		view.bearing.toFixed(1),
		view.pitch.toFixed(0)
	].join(',');
}

/** What the search box can find, with an extent to fly to. */
export interface Place {
	kind: 'community' | 'grid' | 'compound';
	code: string;
	name: string;
	nameEn: string;
	communityCode: string;
	/** Grids: their own code; compounds: the grid holding most of their buildings (where the drill-down opens). */
	gridCode: string | null;
	bbox: [number, number, number, number];
}

/** Which layers are on; kept in the address. */
export interface LayerState {
	checkpoints: boolean;
	shift: ShiftName;
	observed: boolean;
	enterprises: boolean;
	projects: boolean;
	gridLabels: boolean;
	extrude: boolean;
}

const LAYER_FLAGS: [keyof Omit<LayerState, 'shift'>, string][] = [
	['checkpoints', 'k'],
	['observed', 'o'],
	['enterprises', 'e'],
	['projects', 'p'],
	['gridLabels', 'g'],
	['extrude', '3']
];

/** "k,o,3" ⇄ layer switches (the shift is its own parameter). */
export function parseLayers(text: string | null, shift: string | null): LayerState {
	const flags = new Set((text ?? '').split(','));
	const state = Object.fromEntries(
		LAYER_FLAGS.map(([key, flag]) => [key, flags.has(flag)])
	) as Omit<LayerState, 'shift'>;
	return {
		...state,
		shift: (SHIFTS as readonly string[]).includes(shift ?? '') ? (shift as ShiftName) : 'night'
	};
}

export function formatLayers(state: LayerState): string {
	return LAYER_FLAGS.filter(([key]) => state[key])
		.map(([, flag]) => flag)
		.join(',');
}

export interface OverlayKeyEntry {
	label: string;
	color: Rgb | null;
	count: number;
	/** Drawn as an outline only (withheld counts). */
	hollow?: boolean;
}

/**
 * Hexagons in quantile classes of households, coloured from HEXAGON_RAMP, with their key
 * (one entry per class and one for withheld cells).
 */
export function shadeHexagons(
	hexagons: Hexagon[],
	lang: Lang
): { colorOf: (h: Hexagon) => Rgb; key: OverlayKeyEntry[] } {
	const w = words(lang);
	const values = hexagons.map((h) => h.households);
	const scheme = quantileScheme(values, 5);
	const colors = Array.from(
		{ length: scheme.classCount },
		(_, i) =>
			HEXAGON_RAMP[
				scheme.classCount === 1
					? 2
					: Math.round((i * (HEXAGON_RAMP.length - 1)) / (scheme.classCount - 1))
			]
	);
	const counts = classCounts(values, scheme);
	const key: OverlayKeyEntry[] = colors.map((color, i) => {
		const low = i === 0 ? null : scheme.breaks[i - 1];
		const high = i < scheme.breaks.length ? scheme.breaks[i] : null;
		const range =
			low === null && high === null
				? w.map_class_all()
				: low === null
					? `< ${high}`
					: high === null
						? `≥ ${low}`
						: `${low} – < ${high}`;
		return { label: w.map_hexagon_class({ range }), color, count: counts[i] };
	});
	const withheld = counts[scheme.classCount];
	if (withheld > 0)
		key.push({
			label: w.map_hexagon_withheld(),
			color: HEXAGON_WITHHELD_LINE,
			count: withheld,
			hollow: true
		});
	return {
		key,
		colorOf: (h) => {
			const c = classOf(h.households, scheme);
			return c === null ? HEXAGON_WITHHELD_LINE : colors[c];
		}
	};
}
