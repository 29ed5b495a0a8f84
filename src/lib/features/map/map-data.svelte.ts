import { onMount, untrack } from 'svelte';
import { getJson } from '$lib/fetch-json';
import { listenForChanges } from '$lib/live';
import type { CheckpointPoint, Hexagon, LayerState, Place, ResumptionPoint } from '$lib/map/layers';
import type { AreaCollection, GridDetailBody } from './contract';
import { isGridDrill } from './drill';

/** What the map's data depends on: the page state answers these. */
export interface MapDataInputs {
	readonly date: string;
	readonly drill: string;
	readonly layers: LayerState;
	/** The comparison day, when there is one inside the data period. */
	readonly earlierDayInPeriod: string | null;
}

export interface AreasBefore {
	day: string;
	grids: AreaCollection;
	communities: AreaCollection;
}

const areas = (day: string) =>
	Promise.all([
		getJson<AreaCollection>(`/api/areas?level=grid&date=${day}`),
		getJson<AreaCollection>(`/api/areas?level=community&date=${day}`)
	]);

/**
 * Everything the desk map fetches, refetched when what it depends on changes. Construct it while
 * a component initialises: its loaders are effects of that component.
 */
export class MapData {
	grids = $state.raw<AreaCollection | null>(null);
	communities = $state.raw<AreaCollection | null>(null);
	before = $state.raw<AreasBefore | null>(null);
	detail = $state.raw<GridDetailBody | null>(null);
	detailBefore = $state.raw<GridDetailBody | null>(null);
	checkpoints = $state.raw<CheckpointPoint[]>([]);
	enterprises = $state.raw<ResumptionPoint[]>([]);
	projects = $state.raw<ResumptionPoint[]>([]);
	hexagons = $state.raw<Hexagon[]>([]);
	places = $state.raw<Place[]>([]);
	loadError = $state<string | null>(null);
	/**
	 * Live: a change pushed by the server (a record written, a plan applied, the gap rules run) that
	 * touches the day on show refetches what the map shows for it; the view stays where it is.
	 */
	private revision = $state(0);

	constructor(inputs: MapDataInputs) {
		this.listen(inputs);
		this.loader(
			() => {
				const day = inputs.date;
				void this.revision;
				return areas(day);
			},
			(value) => {
				if (!value) return;
				[this.grids, this.communities] = value;
				this.loadError = null;
			}
		);
		this.loader(
			() => {
				const day = inputs.earlierDayInPeriod;
				if (!day) return null;
				return areas(day).then(([grids, communities]) => ({ day, grids, communities }));
			},
			(value) => (this.before = value)
		);
		this.loader(
			() =>
				isGridDrill(inputs.drill) && this.revision >= 0
					? getJson<GridDetailBody>(`/api/grid-detail?grid=${inputs.drill}&date=${inputs.date}`)
					: null,
			(value) => (this.detail = value)
		);
		this.loader(
			() =>
				isGridDrill(inputs.drill) && inputs.earlierDayInPeriod
					? getJson<GridDetailBody>(
							`/api/grid-detail?grid=${inputs.drill}&date=${inputs.earlierDayInPeriod}`
						)
					: null,
			(value) => (this.detailBefore = value)
		);
		this.loader(
			() =>
				inputs.layers.checkpoints && this.revision >= 0
					? getJson<{ checkpoints: CheckpointPoint[] }>(
							`/api/layers/checkpoints?date=${inputs.date}&shift=${inputs.layers.shift}`
						)
					: null,
			(value) => (this.checkpoints = value?.checkpoints ?? [])
		);
		this.loader(
			() =>
				inputs.layers.enterprises
					? getJson<{ enterprises: ResumptionPoint[] }>(
							`/api/layers/enterprises?date=${inputs.date}`
						)
					: null,
			(value) => (this.enterprises = value?.enterprises ?? [])
		);
		this.loader(
			() =>
				inputs.layers.projects
					? getJson<{ projects: ResumptionPoint[] }>(`/api/layers/projects?date=${inputs.date}`)
					: null,
			(value) => (this.projects = value?.projects ?? [])
		);
		this.loader(
			() =>
				inputs.layers.observed
					? getJson<{ hexagons: Hexagon[] }>(`/api/layers/observed?date=${inputs.date}`)
					: null,
			(value) => (this.hexagons = value?.hexagons ?? [])
		);
		this.loader(
			() => getJson<{ places: Place[] }>('/api/places'),
			(value) => (this.places = value?.places ?? [])
		);
	}

	/** Runs `load` whenever its inputs change, dropping answers that arrive after newer requests. */
	private loader<T>(load: () => Promise<T> | null, apply: (value: T | null) => void) {
		$effect(() => {
			const pending = load();
			let cancelled = false;
			if (!pending) {
				apply(null);
				return;
			}
			pending
				.then((value) => !cancelled && apply(value))
				.catch((e: Error) => {
					if (!cancelled) this.loadError = e.message;
				});
			return () => (cancelled = true);
		});
	}

	private listen(inputs: MapDataInputs) {
		let refetch: ReturnType<typeof setTimeout> | null = null;
		// Several notices arrive together after one write: one refetch for them all.
		const soon = () => {
			if (refetch) clearTimeout(refetch);
			refetch = setTimeout(() => (this.revision += 1), 300);
		};
		onMount(() => {
			const stop = listenForChanges(
				(change) => {
					const day = untrack(() => inputs.date);
					if (change.from && change.to && (day < change.from || day > change.to)) return;
					soon();
				},
				{ onReconnect: soon }
			);
			return () => {
				stop();
				if (refetch) clearTimeout(refetch);
			};
		});
	}
}
