import { error } from '@sveltejs/kit';
import { PlanInputError } from '../model/planner';
import { ScenarioError } from './scenarios.server';
import { currentLang, say } from '../../../server/say';

/** A scenario id from the path, or a 400 saying what was sent. */
export function scenarioId(raw: string): number {
	const id = Number(raw);
	if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
		error(400, {
			message: say().planner_bad_scenario_id({ raw: raw.slice(0, 20) }),
			code: 'bad_parameter'
		});
	}
	return id;
}

/** The planner's refusals as HTTP errors (400 bad input, 404, 409); anything else is rethrown. */
export function refuse(e: unknown): never {
	if (e instanceof ScenarioError)
		error(e.status, {
			message: e.text[currentLang()],
			code: e.status === 404 ? 'not_found' : 'conflict'
		});
	if (e instanceof PlanInputError) error(400, { message: e.text[currentLang()], code: 'bad_plan' });
	throw e;
}
