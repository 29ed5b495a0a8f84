import { page } from '$app/state';
import { afterNavigate, replaceState } from '$app/navigation';
import { readSettings, writeSettings, type MapSettings } from './map-settings';

/**
 * The desk map's settings as rune state, kept in the address: read from it once, when the page
 * opens (later navigations do not reset them), and written back to it whenever one changes.
 */
export class MapAddressState implements MapSettings {
	metric: MapSettings['metric'];
	level: MapSettings['level'];
	date: string;
	selectedCode: string | null;
	method: MapSettings['method'];
	classCount: number;
	normalisation: MapSettings['normalisation'];
	compare: number;
	drill: string;
	layers: MapSettings['layers'];
	view: MapSettings['view'];
	tableOpen: boolean;
	readonly initialView: MapSettings['view'];

	constructor(period: { first: string; last: string }) {
		const initial = readSettings(page.url.searchParams, period);
		this.metric = $state(initial.metric);
		this.level = $state(initial.level);
		this.date = $state(initial.date);
		this.selectedCode = $state(initial.selectedCode);
		this.method = $state(initial.method);
		this.classCount = $state(initial.classCount);
		this.normalisation = $state(initial.normalisation);
		this.compare = $state(initial.compare);
		this.drill = $state(initial.drill);
		this.layers = $state(initial.layers);
		this.view = $state(initial.view);
		this.tableOpen = $state(initial.tableOpen);
		this.initialView = initial.view;
	}

	/**
	 * The URL holds the view so a copied link reproduces it. Call while the page component
	 * initialises: the sync is an effect of that component.
	 */
	protected syncAddress() {
		let routerReady = $state(false);
		afterNavigate(() => (routerReady = true));
		$effect(() => {
			if (!routerReady) return;
			// A copy to hand to replaceState, not state: nothing reads it after.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const url = new URL(page.url);
			writeSettings(url.searchParams, this);
			// Same route, new query string only: there is no path to resolve().
			replaceState(url, {});
		});
	}
}
