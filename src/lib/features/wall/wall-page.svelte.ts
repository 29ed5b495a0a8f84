/**
 * The wall's state: what it has read, the scene it shows, its clock and its connection. The page
 * makes one, calls `start()` once it is in the browser, and runs what `start()` returns on leaving.
 */
import { shiftAt } from '$lib/core/time';
import type { MetricId } from '$lib/domain/metrics';
import { getJson } from '$lib/fetch-json';
import type { Lang } from '$lib/core/i18n';
import { listenForChanges, type LiveState } from '$lib/live';
import { shadeAreas, type ShadedArea } from '$lib/map/legend';
import type {
	AreaCollection,
	ShiftTrendResponse,
	SummaryResponse,
	TrendDayResponse,
	TrendResponse
} from './contract';
import { computeKpis } from './kpis';
import {
	expandScenes,
	parseScenes,
	parseSeconds,
	sceneTitle,
	worstAreas,
	type CommunityFigures,
	type Scene
} from './scenes';

/** Used when the server has not said (GRIDWATCH_STALE_MINUTES' default): 26 hours. */
const DEFAULT_STALE_MINUTES = 1560;

const getFresh = <T>(url: string) => getJson<T>(url, { cache: 'no-store' });

export class WallPage {
	/** From the link: ?scenes=observed_households,gaps&seconds=20&stale=90 (minutes). */
	readonly sceneConfig: ReturnType<typeof parseScenes>;
	readonly seconds: number;
	readonly staleOverride: number | null;

	summary = $state.raw<SummaryResponse | null>(null);
	trend = $state.raw<TrendDayResponse[]>([]);
	grids = $state.raw<AreaCollection | null>(null);
	communities = $state.raw<AreaCollection | null>(null);
	/** The running shift and the same shift on the days before it, oldest first. */
	shiftSeries = $state.raw<ShiftTrendResponse | null>(null);
	connection = $state<'connecting' | LiveState>('connecting');
	loadError = $state<string | null>(null);
	/** When figures were last read (browser clock); 0 before the first. */
	updatedAt = $state(0);
	paused = $state(false);
	sceneIndex = $state(0);
	/** The browser's clock, read every second. */
	tick = $state(Date.now());
	/** The screen's height over 1080 px: the map's labels grow with it. */
	scale = $state(1);

	#lang: () => Lang;
	#fetchedAt = $state(0);
	#loading = false;
	#again = false;
	#rotation: ReturnType<typeof setInterval> | null = null;
	#stopped = false;

	scenes = $derived.by(() =>
		this.summary && this.communities
			? expandScenes(
					this.sceneConfig.scenes,
					this.communities.features.map((f) => f.properties as unknown as CommunityFigures),
					this.summary.day
				)
			: []
	);
	scene = $derived<Scene | null>(
		this.scenes.length ? this.scenes[this.sceneIndex % this.scenes.length] : null
	);
	// Read through functions (.by) where they use what the constructor sets: it runs after the fields are made.
	title = $derived.by(() => sceneTitle(this.scene, this.#lang()));
	metric = $derived<MetricId>(this.scene?.metric ?? 'screening_coverage');
	shading = $derived.by(() =>
		this.grids
			? shadeAreas(
					this.metric,
					this.grids.features.map((f) => f.properties as ShadedArea),
					this.#lang(),
					{ theme: 'dark', suppressBelow: this.summary?.suppressBelow ?? null }
				)
			: null
	);
	/** The community a gaps scene zooms to; null on a metric scene. */
	focusFeature = $derived.by(() => {
		const scene = this.scene;
		return scene?.kind === 'community'
			? (this.communities?.features.find((f) => f.properties.code === scene.code) ?? null)
			: null;
	});
	/** The focus scene lists its community's grids (worst first); the others, the subdistrict's ten worst. */
	worst = $derived.by(() => {
		if (!this.grids) return [];
		const focus = this.focusFeature;
		const areas = focus
			? this.grids.features.filter((f) => f.properties.communityCode === focus.properties.code)
			: this.grids.features;
		return worstAreas(
			areas.map((f) => f.properties),
			this.metric,
			10
		);
	});

	// The clock: the server's, carried forward by the time since it was read.
	clockMs = $derived(
		this.summary ? Date.parse(this.summary.clock) + (this.tick - this.#fetchedAt) : this.tick
	);
	asOfMs = $derived(this.summary?.asOf ? Date.parse(this.summary.asOf) : null);
	staleMinutes = $derived.by(
		() => this.staleOverride ?? this.summary?.staleMinutes ?? DEFAULT_STALE_MINUTES
	);
	ageMinutes = $derived(
		this.asOfMs === null ? null : Math.max(0, (this.clockMs - this.asOfMs) / 60_000)
	);
	stale = $derived(this.ageMinutes === null || this.ageMinutes > this.staleMinutes);

	runningShift = $derived(this.shiftSeries?.shift ?? shiftAt(this.clockMs).shift);
	kpis = $derived.by(() =>
		this.summary
			? computeKpis({
					summary: this.summary,
					trend: this.trend,
					shiftSeries: this.shiftSeries,
					runningShift: this.runningShift,
					lang: this.#lang()
				})
			: []
	);

	constructor(query: URLSearchParams, lang: () => Lang) {
		this.#lang = lang;
		this.sceneConfig = parseScenes(query.get('scenes'));
		this.seconds = parseSeconds(query.get('seconds'));
		const stale = Number(query.get('stale'));
		this.staleOverride = stale > 0 ? stale : null;
	}

	/** Loads everything the wall shows; the scene, pause state and map camera are left as they are. */
	reload = async (): Promise<void> => {
		if (this.#loading) {
			this.#again = true;
			return;
		}
		this.#loading = true;
		try {
			const latest = await getFresh<SummaryResponse>('/api/summary');
			const day = latest.day;
			const shift = shiftAt(Date.parse(latest.clock));
			const [grids, communities, trend, shiftSeries] = await Promise.all([
				getFresh<AreaCollection>(`/api/areas?level=grid&date=${day}`),
				getFresh<AreaCollection>(`/api/areas?level=community&date=${day}`),
				getFresh<TrendResponse>(`/api/trend?date=${day}&days=14`),
				shift.day >= latest.period.first && shift.day <= latest.period.last
					? getFresh<ShiftTrendResponse>(
							`/api/trend/shift?date=${shift.day}&days=14&shift=${shift.shift}`
						)
					: Promise.resolve(null)
			]);
			this.summary = latest;
			// The rotation starts with the first figures, so the first scene gets its full time.
			if (!this.#rotation && !this.#stopped)
				this.#rotation = setInterval(() => {
					if (!this.paused) this.step(1);
				}, this.seconds * 1000);
			this.grids = grids;
			this.communities = communities;
			this.trend = trend.days;
			this.shiftSeries = shiftSeries;
			this.#fetchedAt = Date.now();
			this.updatedAt = Date.now();
			this.loadError = null;
		} catch (e) {
			this.loadError = (e as Error).message;
		} finally {
			this.#loading = false;
			// A wall runs for days: the browser's resource-timing buffer would fill with its requests.
			performance.clearResourceTimings();
			if (this.#again) {
				this.#again = false;
				void this.reload();
			}
		}
	};

	/** The next (1) or previous (−1) scene. */
	step(by: 1 | -1): void {
		const count = this.scenes.length;
		this.sceneIndex = (this.sceneIndex + by + (by < 0 ? count : 0)) % Math.max(1, count);
	}

	/** Space or P pauses the rotation; ← and → change the scene. */
	onKey = (e: KeyboardEvent): void => {
		if (e.key === ' ' || e.key === 'p' || e.key === 'P') {
			this.paused = !this.paused;
			e.preventDefault();
		} else if (e.key === 'ArrowRight') this.step(1);
		else if (e.key === 'ArrowLeft') this.step(-1);
	};

	/** Reads the figures, listens for changes and starts the clocks; returns what stops them. */
	start(): () => void {
		void this.reload();
		const stopListening = listenForChanges(() => void this.reload(), {
			// Whatever happened while away is fetched again.
			onReconnect: () => void this.reload(),
			onState: (state) => (this.connection = state)
		});
		const resize = () => (this.scale = window.innerHeight / 1080);
		resize();
		window.addEventListener('resize', resize);
		const timers = [
			setInterval(() => (this.tick = Date.now()), 1000),
			// A safety net: even without events, the figures are fetched again every five minutes.
			setInterval(() => void this.reload(), 5 * 60_000)
		];
		// A handle for a script driving the wall (the tests: a build with GRIDWATCH_TEST_HOOKS=1 only):
		// reload on demand, read the scene shown.
		if (__TEST_HOOKS__) {
			const sceneShown = () => this.sceneIndex;
			(window as unknown as { gridwatchWall?: object }).gridwatchWall = {
				reload: this.reload,
				get scene() {
					return sceneShown();
				}
			};
		}
		return () => {
			this.#stopped = true;
			window.removeEventListener('resize', resize);
			if (__TEST_HOOKS__) delete (window as unknown as { gridwatchWall?: object }).gridwatchWall;
			stopListening();
			for (const timer of timers) clearInterval(timer);
			if (this.#rotation) clearInterval(this.#rotation);
		};
	}
}
