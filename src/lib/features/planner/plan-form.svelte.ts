/**
 * The plan form's state: the pool of units and the options, as entered. It becomes the body of
 * POST /api/plan, and is filled again from a saved scenario's request when one is opened.
 */
import { words } from '../../core/i18n';
import type { Horizon, Objective, PlanRequest, PlanRequestBody, PoolEntry } from './contract';

export class PlanForm {
	pool = $state<PoolEntry[]>([]);
	horizon = $state<Horizon>('day');
	objective = $state<Objective>('weighted');
	/** Most people per grid; null (or 0, an emptied field): no limit. */
	maxPerGrid = $state<number | null>(null);
	keepUnitsTogether = $state(false);
	/** The new scenario's name; empty: numbered automatically. */
	name = $state('');

	/**
	 * A first pool to edit: the subdistrict's own cadres, and volunteers at the first community
	 * (their names are in Chinese whatever the page's language: they are kept with the scenario).
	 */
	constructor(firstCommunity: string | undefined) {
		const zh = words('zh-CN');
		this.pool = [
			{ name: zh.planner_default_unit_cadres(), people: 30, staging: 'subdistrict', skills: [] },
			{
				name: zh.planner_default_unit_volunteers(),
				people: 20,
				staging: firstCommunity ?? 'subdistrict',
				skills: ['gate']
			}
		];
	}

	/** Adds a unit of 10 at the subdistrict office, any skill, named `name`. */
	addUnit(name: string) {
		this.pool = [...this.pool, { name, people: 10, staging: 'subdistrict', skills: [] }];
	}

	removeUnit(index: number) {
		this.pool = this.pool.filter((_, k) => k !== index);
	}

	/** The body of POST /api/plan. */
	body(): PlanRequestBody {
		return {
			name: this.name.trim() || null,
			pool: this.pool,
			horizon: this.horizon,
			objective: this.objective,
			maxPerGrid: this.maxPerGrid || null,
			keepUnitsTogether: this.keepUnitsTogether
		};
	}

	/** The form as a saved scenario was asked for (its name is not reused: a new plan is a new scenario). */
	fill(request: PlanRequest) {
		this.pool = request.pool;
		this.horizon = request.horizon;
		this.objective = request.options.objective;
		this.maxPerGrid = request.options.maxPerGrid;
		this.keepUnitsTogether = request.options.keepUnitsTogether;
	}
}
