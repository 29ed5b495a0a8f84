/**
 * The map's point and aggregate layers: what the server sends and how each is coloured.
 * Shared by the server (queries) and the page.
 */
import type { LngLat } from '../domain/geo';
import type { Rgb } from './legend';

/** Checkpoint shifts start at 06:00, 14:00 and 22:00 Beijing time. */
export const SHIFTS = ['day', 'evening', 'night'] as const;
export type ShiftName = (typeof SHIFTS)[number];
export const SHIFT_LABELS: Record<ShiftName, { 'zh-CN': string; en: string }> = {
	day: { 'zh-CN': '早班 06–14', en: 'Day 06–14' },
	evening: { 'zh-CN': '中班 14–22', en: 'Evening 14–22' },
	night: { 'zh-CN': '夜班 22–06', en: 'Night 22–06' }
};

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

/** Staffing status, in the policy colours of the staffing metric (blue good, amber short, red empty). */
export const STATUS_COLORS: Record<StaffingStatus, Rgb> = {
	full: [69, 117, 180],
	short: [253, 174, 97],
	empty: [215, 48, 39],
	not_held: [170, 170, 170]
};

export const STATUS_LABELS: Record<StaffingStatus, { 'zh-CN': string; en: string }> = {
	full: { 'zh-CN': '满员', en: 'Fully staffed' },
	short: { 'zh-CN': '缺员', en: 'Short-staffed' },
	empty: { 'zh-CN': '无人在岗', en: 'Nobody present' },
	not_held: { 'zh-CN': '本班不设岗', en: 'Not held this shift' }
};

/** Work resumption: teal for resumed, brown for not yet (BrBG ends, colour-blind safe). */
export const RESUMPTION_COLORS: { resumed: Rgb; waiting: Rgb } = {
	resumed: [1, 133, 113],
	waiting: [166, 97, 26]
};

/** "lng,lat,zoom,bearing,pitch" ⇄ a view; null when the text is not a valid view. */
export function parseView(text: string | null): MapView | null {
	if (!text) return null;
	const parts = text.split(',').map(Number);
	if (parts.length < 3 || parts.some((n) => !Number.isFinite(n))) return null;
	const [lng, lat, zoom, bearing = 0, pitch = 0] = parts;
	if (lng < -180 || lng > 180 || lat < -85 || lat > 85 || zoom < 0 || zoom > 22 || pitch < 0 || pitch > 85) return null;
	return { lng, lat, zoom, bearing, pitch };
}

export function formatView(view: MapView): string {
	return [view.lng.toFixed(5), view.lat.toFixed(5), view.zoom.toFixed(2), view.bearing.toFixed(1), view.pitch.toFixed(0)].join(',');
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
	const state = Object.fromEntries(LAYER_FLAGS.map(([key, flag]) => [key, flags.has(flag)])) as Omit<LayerState, 'shift'>;
	return { ...state, shift: (SHIFTS as readonly string[]).includes(shift ?? '') ? (shift as ShiftName) : 'night' };
}

export function formatLayers(state: LayerState): string {
	return LAYER_FLAGS.filter(([key]) => state[key]).map(([, flag]) => flag).join(',');
}
