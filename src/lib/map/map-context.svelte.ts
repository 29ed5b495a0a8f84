/**
 * How the map's layers reach the map, as svelte-maplibre-gl does it: MapView (the root) creates the
 * MapLibre map and deck.gl's overlay and provides this context; each layer component under it
 * builds its deck layers from its own props and registers them here. The root draws every
 * registered layer in one fixed order (LAYER_ORDER), whatever order the components come in.
 */
import { createContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Feature, Geometry } from 'geojson';
import type { Building, CheckpointPoint, Hexagon, ResumptionPoint } from './layers';

type AreaProps = { code: string; name: string; nameEn: string };
/** An area as the map draws it: any feature with a code and names. */
export type AreaFeature = Feature<Geometry, AreaProps>;

export type HoverTarget =
	| { kind: 'area'; feature: AreaFeature }
	| { kind: 'checkpoint'; point: CheckpointPoint }
	| { kind: 'enterprise' | 'project'; point: ResumptionPoint }
	| { kind: 'hexagon'; hexagon: Hexagon }
	| { kind: 'building'; building: Building };
export type Hover = { x: number; y: number; target: HoverTarget };

/** The deck layers' ids, bottom first: the order the map draws them in. */
export const LAYER_ORDER = [
	'areas',
	'observed-hexagons',
	'withheld-hatching',
	'outlines',
	'unreported-outline',
	'highlight',
	'buildings',
	'enterprises',
	'enterprise-clusters',
	'enterprise-cluster-counts',
	'projects',
	'checkpoints',
	'code-labels',
	'labels',
	'unreported-marks',
	'withheld-marks'
] as const;

/** Where a layer goes in the drawing order; an id not listed goes on top. */
export function layerRank(id: string): number {
	const rank = (LAYER_ORDER as readonly string[]).indexOf(id);
	return rank < 0 ? LAYER_ORDER.length : rank;
}

/** What one layer component hands the map. Each is read again whenever what it reads changes. */
export interface LayerPart {
	/** Its deck layers, built from the component's props (an empty one is left out when drawn). */
	layers: () => Layer[];
	/** Its share of the drawn state's key (the map's data-rendered attribute). */
	key?: () => string;
	/** Areas to fit the camera to while neither a focus nor the address has placed it. */
	fit?: () => AreaFeature[];
	/** True while it draws in 3D: the map tilts so the extrusion reads. */
	extruded?: () => boolean;
}

export interface MapContext {
	/** The MapLibre map once its style has loaded; null before and after. */
	readonly map: MapLibreMap | null;
	readonly theme: 'light' | 'dark';
	readonly dark: boolean;
	readonly lang: 'zh-CN' | 'en';
	/** Label size factor (a wall screen scales labels with its height). */
	readonly labelScale: number;
	/** Bumped when the camera settles: what is placed on screen (labels) depends on it. */
	readonly cameraMoves: number;
	readonly reducedMotion: boolean;
	/** A deck onHover handler reporting `kind` targets to the map's onhover. */
	hover(kind: HoverTarget['kind']): (info: PickingInfo) => void;
	/** Adds a layer part; returns what takes it away again. */
	register(part: LayerPart): () => void;
}

export const [getMapContext, setMapContext] = createContext<MapContext>();

/** The hover target for a picked object of a layer of `kind`. */
export function hoverTarget(kind: HoverTarget['kind'], object: unknown): HoverTarget {
	const o = object as never;
	return kind === 'area'
		? { kind, feature: o }
		: kind === 'checkpoint'
			? { kind, point: o }
			: kind === 'hexagon'
				? { kind, hexagon: o }
				: kind === 'building'
					? { kind, building: o }
					: { kind, point: o };
}

/**
 * For a layer component: registers its part with the MapView it sits in, for as long as the
 * component lives, and gives the map's context.
 */
export function useMapLayers(part: LayerPart): MapContext {
	const context = getMapContext();
	$effect(() => context.register(part));
	return context;
}

/**
 * All the parts' layers in the drawing order, and the drawn state's key: the parts' keys, bottom
 * part first (the areas' shading leads); a map drawn with no key still says it was drawn.
 */
export function composeParts(parts: LayerPart[]): { layers: Layer[]; key: string } {
	const rankOf = (layers: Layer[]) => Math.min(...layers.map((layer) => layerRank(layer.id)));
	const drawn = parts
		.map((part) => ({ layers: part.layers(), key: part.key?.() ?? '' }))
		.sort((a, b) => rankOf(a.layers) - rankOf(b.layers));
	return {
		layers: drawn.flatMap((d) => d.layers).sort((a, b) => layerRank(a.id) - layerRank(b.id)),
		key:
			drawn
				.map((d) => d.key)
				.filter(Boolean)
				.join('|') || 'drawn'
	};
}
