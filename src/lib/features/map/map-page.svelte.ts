import { untrack } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { HoverTarget } from '$lib/map/map-context.svelte';
import { shadeAreas, shadeChange, type ShadedArea } from '$lib/map/legend';
import { METRICS } from '$lib/domain/metrics';
import { NO_DATA_COLOR } from '$lib/domain/classify';
import { words, type Lang } from '$lib/core/i18n';
import { addDays } from '$lib/core/time';
import { boundsOf } from '$lib/map/map-helpers';
import { buildAreaTable } from '$lib/map/table';
import { shadeHexagons, type Place } from '$lib/map/layers';
import type { AreaCollection, AreaFeature, GridDetailBody } from './contract';
import { MapData } from './map-data.svelte';
import { MapAddressState } from './map-address.svelte';
import { exportQuery as queryForExport } from './map-settings';
import { isCommunityDrill, isGridDrill, stepToPlace, stepUp, type DrillStep } from './drill';
import { countResumed, countStatuses } from './overlay-notes';

/** What the route's load gives the page. */
export interface MapPageData {
	lang: Lang;
	period: { first: string; last: string };
}

/**
 * The desk map's state: its settings (kept in the address), the drill-down, the comparison, the
 * selection and what is derived from them for the map and its panels. Construct it while the page
 * component initialises: its loaders and the address sync are effects of that component.
 */
export class MapPage extends MapAddressState {
	readonly #pageData: () => MapPageData;
	readonly data: MapData = new MapData(this);
	hover = $state<{ x: number; y: number; target: HoverTarget } | null>(null);
	/** The map as drawn (MapStage binds it): the PNG export reads its camera. */
	map = $state.raw<MapLibreMap | null>(null);
	focus = $state.raw<{ bounds: [[number, number], [number, number]]; key: string } | null>(null);
	exportError = $state<string | null>(null);
	exporting = $state(false);

	constructor(pageData: () => MapPageData) {
		// The page's own state starts from the URL, then lives here; later `data` changes do not reset it.
		super(untrack(pageData).period);
		this.#pageData = pageData;
		this.followDrill();
		this.syncAddress();
	}

	get lang(): Lang {
		return this.#pageData().lang;
	}
	get en() {
		return this.lang === 'en';
	}
	/** The UI's words in the page's language. */
	get w() {
		return words(this.lang);
	}
	get period() {
		return this.#pageData().period;
	}

	earlierDay = $derived(this.compare > 0 ? addDays(this.date, -this.compare) : null);
	earlierInPeriod = $derived(this.earlierDay !== null && this.earlierDay >= this.period.first);
	get earlierDayInPeriod() {
		return this.earlierInPeriod ? this.earlierDay : null;
	}
	comparing = $derived(this.compare > 0);

	// Where the drill-down stands.
	drillGrid = $derived(
		isGridDrill(this.drill)
			? (this.data.grids?.features.find((f) => f.properties.code === this.drill) ?? null)
			: null
	);
	drillCommunityCode = $derived(
		isCommunityDrill(this.drill) ? this.drill : (this.drillGrid?.properties.communityCode ?? null)
	);
	drillCommunity = $derived(
		this.drillCommunityCode
			? (this.data.communities?.features.find(
					(f) => f.properties.code === this.drillCommunityCode
				) ?? null)
			: null
	);
	shownLevel = $derived<'grid' | 'community' | 'compound'>(
		isGridDrill(this.drill) ? 'compound' : isCommunityDrill(this.drill) ? 'grid' : this.level
	);

	private areasAt(
		grids: AreaCollection | null,
		communities: AreaCollection | null,
		detail: GridDetailBody | null
	): AreaFeature[] | null {
		const drill = this.drill;
		// Compounds carry only the figures their buildings and checkpoints give; the map, its panels
		// and its table show the others as absent.
		if (isGridDrill(drill))
			return detail && detail.grid.code === drill
				? (detail.compounds as unknown as AreaFeature[])
				: null;
		if (isCommunityDrill(drill))
			return grids ? grids.features.filter((f) => f.properties.communityCode === drill) : null;
		return this.level === 'grid' ? (grids?.features ?? null) : (communities?.features ?? null);
	}
	shown = $derived(this.areasAt(this.data.grids, this.data.communities, this.data.detail));
	// Only the comparison day asked for: an answer for an earlier setting must not be shown as this one.
	shownBefore = $derived.by(() => {
		const { before, detailBefore } = this.data;
		return before && before.day === this.earlierDay
			? this.areasAt(
					before.grids,
					before.communities,
					detailBefore && detailBefore.date === this.earlierDay ? detailBefore : null
				)
			: null;
	});
	shownDate = $derived(
		isGridDrill(this.drill) ? (this.data.detail?.date ?? null) : (this.data.grids?.date ?? null)
	);

	shading = $derived.by(() => {
		const shown = this.shown;
		if (!shown) return null;
		const options = {
			method: this.method ?? undefined,
			classCount: this.classCount,
			normalisation: this.normalisation
		};
		const props = shown.map((f) => f.properties as ShadedArea);
		if (this.comparing)
			return shadeChange(
				this.metric,
				props,
				(this.shownBefore ?? []).map((f) => f.properties as ShadedArea),
				this.compare,
				this.lang,
				options
			);
		return shadeAreas(this.metric, props, this.lang, options);
	});
	selected = $derived(this.shown?.find((f) => f.properties.code === this.selectedCode) ?? null);
	// "No report" is not "zero": areas whose community has not sent the day's report are marked.
	unreported = $derived.by(() => {
		const { shown, shownDate, drillGrid } = this;
		if (!shown || !shownDate) return [];
		if (isGridDrill(this.drill))
			return drillGrid && drillGrid.properties.lastReportDate !== shownDate ? [drillGrid] : [];
		return shown.filter((f) => f.properties.lastReportDate !== shownDate);
	});
	colorKey = $derived(
		`${this.metric}|${this.shownLevel}|${this.shownDate}|${this.lang}|${this.shading?.method}|${this.classCount}|${this.normalisation}|${this.drill}|${this.comparing ? `${this.compare}:${this.shownBefore ? `${this.earlierDay}` : 'n'}` : 'now'}`
	);
	outlines = $derived.by(() => {
		const base = this.data.communities?.features ?? [];
		return this.drillGrid ? [...base, this.drillGrid] : base;
	});
	labels = $derived(
		isGridDrill(this.drill) && this.shown ? this.shown : (this.data.communities?.features ?? [])
	);
	codeLabels = $derived(
		isGridDrill(this.drill)
			? []
			: this.layers.gridLabels || isCommunityDrill(this.drill)
				? (this.data.grids?.features ?? []).filter(
						(f) =>
							!this.drillCommunityCode || f.properties.communityCode === this.drillCommunityCode
					)
				: []
	);
	heightOf = $derived.by(() => {
		const { shading, shown } = this;
		if (!shading || !shown) return () => 0;
		const values = shown.map((f) => Math.abs(shading.valueOf(f.properties as ShadedArea) ?? 0));
		const top = Math.max(1e-9, ...values);
		return (f: { properties: unknown }) =>
			Math.abs(shading.valueOf(f.properties as ShadedArea) ?? 0) / top;
	});
	hexShading = $derived(shadeHexagons(this.data.hexagons, this.lang));
	statusCounts = $derived(
		this.layers.checkpoints && this.data.checkpoints.length
			? countStatuses(this.data.checkpoints)
			: null
	);
	resumption = $derived({
		enterprises:
			this.layers.enterprises && this.data.enterprises.length
				? countResumed(this.data.enterprises)
				: null,
		projects:
			this.layers.projects && this.data.projects.length ? countResumed(this.data.projects) : null
	});
	hexagonNote = $derived(
		this.data.hexagons.length ? this.w.map_hexagon_note({ n: this.data.hexagons.length }) : null
	);

	scopeName = $derived.by(() => {
		const { detail } = this.data;
		const { en, w, drillCommunity } = this;
		if (isGridDrill(this.drill) && detail)
			return w.map_scope_grid({
				community: en ? detail.grid.communityNameEn : detail.grid.communityName,
				code: detail.grid.code
			});
		if (drillCommunity)
			return en ? drillCommunity.properties.nameEn : drillCommunity.properties.name;
		return w.core_subdistrict_name();
	});
	viewTitle = $derived(
		`${this.w.core_app_title()} · ${this.scopeName} · ${METRICS[this.metric].label[this.lang]}${this.shading?.change ? ` · ${this.shading.change.title}` : ''}`
	);
	table = $derived.by(() => {
		const { shown, shading, en } = this;
		return shown && shading
			? buildAreaTable(
					this.metric,
					shown.map((f) => ({
						...f.properties,
						name: en ? f.properties.nameEn : f.properties.name,
						communityName: en ? f.properties.communityNameEn : f.properties.communityName
					})),
					shading,
					this.lang,
					`${this.viewTitle} · ${this.shownDate ?? this.date}`
				)
			: null;
	});
	colorByCode = $derived(
		// Built anew with each derivation and never changed: nothing needs to react to it.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		new Map(
			(this.shown ?? []).map((f) => [
				f.properties.code,
				this.shading ? this.shading.colorOf(f.properties as ShadedArea) : NO_DATA_COLOR
			])
		)
	);
	exportQuery = $derived(queryForExport(this, this.en));

	drillInto(code: string) {
		const feature = this.shown?.find((f) => f.properties.code === code);
		if (!feature || feature.properties.level === 'compound') return;
		this.drill = code;
		this.selectedCode = null;
		this.hover = null;
	}
	goUp(to: 'subdistrict' | 'community') {
		const step = stepUp(this.drill, to, this.level, this.drillCommunityCode);
		if (step) this.go(step);
		this.hover = null;
	}
	pickPlace(place: Place) {
		this.go(stepToPlace(place));
		const [w, s, e, n] = place.bbox;
		this.focus = {
			bounds: [
				[w, s],
				[e, n]
			],
			key: `drill:${this.drill}|search:${place.kind}:${place.code}:${Date.now()}`
		};
	}
	/** Escape: clear the selection, else one step up the drill-down. */
	onkey(e: KeyboardEvent) {
		if (e.key !== 'Escape') return;
		const target = e.target as HTMLElement | null;
		if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
		if (this.selectedCode) this.selectedCode = null;
		else if (isGridDrill(this.drill)) this.goUp('community');
		else if (isCommunityDrill(this.drill)) this.goUp('subdistrict');
	}
	private go(step: DrillStep) {
		this.drill = step.drill;
		this.selectedCode = step.selectedCode;
	}

	/** Fly to the drilled area (or the whole subdistrict) when the drill-down changes. */
	private followDrill() {
		$effect(() => {
			const key = `drill:${this.drill}`;
			if (this.focus?.key === key || this.focus?.key.startsWith(`${key}|`)) return;
			const target = isGridDrill(this.drill)
				? this.drillGrid
				: isCommunityDrill(this.drill)
					? this.drillCommunity
					: null;
			const features = target ? [target] : (this.data.communities?.features ?? []);
			if (features.length === 0) return;
			untrack(() => (this.focus = { bounds: boundsOf(features), key }));
		});
	}
}
