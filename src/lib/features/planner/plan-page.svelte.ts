/**
 * The /plan page's state and its calls to the planner's API (contract.ts): solving, the saved
 * scenarios (open, rename, delete, compare) and applying the one shown.
 */
import { tick } from 'svelte';
import type { Feature, Geometry } from 'geojson';
import type {
	ApplyAnswer,
	PlanAnswer,
	RenameScenarioBody,
	Scenario,
	ScenarioList,
	ScenarioSummary
} from './contract';
import type { MapView } from './plan-map';
import { PlanForm } from './plan-form.svelte';
import type { Words } from '../../core/i18n';

export type GridFeature = Feature<Geometry, { code: string; name: string; nameEn: string }>;

/** The server's refusal in words (`{ message }`), or the status text. */
async function refusal(response: Response): Promise<string> {
	return (await response.json()).message ?? response.statusText;
}

export class PlanPage {
	readonly form: PlanForm;
	/** The plan shown: a new one, or a saved one opened. */
	plan = $state.raw<PlanAnswer | null>(null);
	view = $state<MapView>('after');
	busy = $state(false);
	// Each refusal is shown beside what was refused: the plan form, the saved list, the apply button.
	failure = $state<string | null>(null);
	listFailure = $state<string | null>(null);
	applyFailure = $state<string | null>(null);
	/** The result's title: a new result is below the form and the saved list, and is scrolled to. */
	resultTitle = $state<HTMLElement | null>(null);

	// Saved scenarios: every plan made is kept; tick two or more to compare them.
	scenarios = $state.raw<ScenarioSummary[]>([]);
	compareIds = $state<number[]>([]);
	readonly compared = $derived(this.scenarios.filter((s) => this.compareIds.includes(s.id)));

	// Applying: a second, explicit confirmation with what will be written.
	confirming = $state(false);
	applying = $state(false);
	applied = $state<ApplyAnswer | null>(null);

	grids = $state.raw<GridFeature[]>([]);
	communities = $state.raw<GridFeature[]>([]);
	/** Hydrated: the form's controls answer. */
	ready = $state(false);

	/** `words` gives the user's words for the dialogs the page opens (rename, delete). */
	constructor(
		firstCommunity: string | undefined,
		private readonly words: () => Words
	) {
		this.form = new PlanForm(firstCommunity);
	}

	/** On mount: the saved list, and the grids and communities for the map. */
	async start() {
		this.ready = true;
		this.loadScenarios();
		const [grids, communities] = await Promise.all([
			fetch('/api/areas?level=grid').then((r) => r.json()),
			fetch('/api/areas?level=community').then((r) => r.json())
		]);
		this.grids = grids.features;
		this.communities = communities.features;
	}

	async loadScenarios() {
		const response = await fetch('/api/plan/scenarios');
		if (response.ok) this.scenarios = ((await response.json()) as ScenarioList).scenarios;
	}

	/** When scenario `id` is shown: its summary as the list has it now (renamed, applied, out of date). */
	private refreshShown(id: number | undefined) {
		const fresh = this.scenarios.find((s) => s.id === id);
		if (this.plan && fresh && this.plan.scenario.id === id)
			this.plan = { ...this.plan, scenario: fresh };
	}

	/** A new result: the map after the plan, nothing applied or being confirmed yet. */
	private show(plan: PlanAnswer) {
		this.plan = plan;
		this.view = 'after';
		this.applied = null;
		this.applyFailure = null;
		this.confirming = false;
	}

	private async scrollToResult() {
		await tick();
		this.resultTitle?.scrollIntoView({ block: 'start' });
	}

	async solve(event: SubmitEvent) {
		event.preventDefault();
		this.busy = true;
		this.failure = null;
		try {
			const response = await fetch('/api/plan', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(this.form.body())
			});
			if (!response.ok) {
				this.failure = await refusal(response);
				this.plan = null;
				return;
			}
			this.show((await response.json()) as PlanAnswer);
			this.form.name = '';
			await this.loadScenarios();
			await this.scrollToResult();
		} finally {
			this.busy = false;
		}
	}

	async openScenario(id: number) {
		this.listFailure = null;
		const response = await fetch(`/api/plan/scenarios/${id}`);
		if (!response.ok) {
			this.listFailure = await refusal(response);
			return;
		}
		const { result, request, ...summary } = (await response.json()) as Scenario;
		this.show({ ...result, scenario: summary });
		this.form.fill(request);
		await this.scrollToResult();
	}

	async renameScenario(scenario: ScenarioSummary) {
		const name = window.prompt(this.words().planner_scenario_name(), scenario.name);
		if (name === null || name.trim() === scenario.name) return;
		const response = await fetch(`/api/plan/scenarios/${scenario.id}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name } satisfies RenameScenarioBody)
		});
		this.listFailure = response.ok ? null : await refusal(response);
		await this.loadScenarios();
		this.refreshShown(scenario.id);
	}

	async deleteScenario(scenario: ScenarioSummary) {
		const question = this.words().planner_delete_question({ name: scenario.name });
		if (!window.confirm(question)) return;
		const response = await fetch(`/api/plan/scenarios/${scenario.id}`, { method: 'DELETE' });
		this.listFailure = response.ok ? null : await refusal(response);
		if (this.plan?.scenario.id === scenario.id && response.ok) this.plan = null;
		this.compareIds = this.compareIds.filter((id) => id !== scenario.id);
		await this.loadScenarios();
	}

	/** The first step of applying: the confirmation, with what will be written. */
	askToApply() {
		this.applyFailure = null;
		this.confirming = true;
	}

	async apply() {
		if (!this.plan) return;
		this.applying = true;
		this.applyFailure = null;
		try {
			const response = await fetch(`/api/plan/scenarios/${this.plan.scenario.id}/apply`, {
				method: 'POST'
			});
			const body = await response.json();
			if (!response.ok) this.applyFailure = body.message ?? response.statusText;
			else this.applied = body as ApplyAnswer;
			this.confirming = false;
			await this.loadScenarios();
			this.refreshShown(this.plan?.scenario.id);
		} finally {
			this.applying = false;
		}
	}
}
