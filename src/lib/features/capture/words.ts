import type { MessageKey } from '../../core/i18n';
import type { IdNumberProblem } from './model/id-number';

/** What the form and the server say about an ID number's problem: one message each. */
export const ID_PROBLEM_WORDS: Record<IdNumberProblem, MessageKey> = {
	length: 'capture_id_length',
	old_15: 'capture_id_old_15',
	characters: 'capture_id_characters',
	region: 'capture_id_region',
	birth_date: 'capture_id_birth_date',
	check: 'capture_id_check'
};
