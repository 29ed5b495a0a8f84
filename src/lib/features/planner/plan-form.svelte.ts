/**
 * The plan form's state: the pool of units and the options, as entered. It becomes the body of
 * POST /api/plan, and is filled again from a saved scenario's request when one is opened.
 */
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

	/** A first pool to edit: the subdistrict's own cadres, and volunteers at the first community. */
	constructor(firstCommunity: string | undefined) {
		this.pool = [
			{ name: '街道机关干部', people: 30, staging: 'subdistrict', skills: [] },
			{
				name: '志愿者突击队',
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
