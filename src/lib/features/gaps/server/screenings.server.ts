import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
import { writeAudit } from '../../../server/audit';
import { beijingDay } from '../../../core/time';
import { idField, isPlainText } from '../../../server/http';
import { refreshAfterWrite } from '../../../server/rollup';
import { syncGaps } from './gaps.server';
import type { GapSettings } from '../model/gaps';
import { say } from '../../../server/say';

export const SCREENING_METHODS = ['door', 'phone', 'checkpoint'] as const;
export const SCREENING_RESULTS = ['normal', 'fever', 'referred'] as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const atReason = () => say().gaps_screening_at_invalid();
/** One of the listed values; the refusal lists them in the request's language. */
const oneOf = <const T extends readonly string[]>(values: T) =>
	v.picklist(values, () => {
		const w = say();
		return w.gaps_expected_one_of({ values: values.join(w.core_list_separator()) });
	});

/** POST /api/screenings: what a screening sends. */
export const ScreeningBody = v.object({
	personId: idField(() => say().gaps_expected_positive_integer()),
	method: v.nullish(oneOf(SCREENING_METHODS), 'door'),
	result: v.nullish(oneOf(SCREENING_RESULTS), 'normal'),
	temperature: v.nullish(
		v.pipe(
			v.number(() => say().gaps_temperature_range()),
			v.minValue(34, () => say().gaps_temperature_range()),
			v.maxValue(43, () => say().gaps_temperature_range()),
			v.transform((t) => Math.round(t * 10) / 10)
		)
	),
	note: v.nullish(
		v.pipe(
			v.string(() => say().gaps_screening_note_long()),
			v.check(isPlainText, () => say().core_control_characters()),
			v.trim(),
			v.maxLength(200, () => say().gaps_screening_note_long())
		)
	),
	at: v.optional(
		v.pipe(
			v.string(atReason),
			v.regex(ISO_TIME, atReason),
			v.check((text) => Number.isFinite(Date.parse(text)), atReason)
		)
	)
});
export type ScreeningInput = v.InferOutput<typeof ScreeningBody>;

/** What POST /api/screenings answers (201). */
export interface ScreeningCreated {
	id: number;
	personId: number;
	grid: string | null;
	day: string;
}

/**
 * Records one screening of a person in the caller's scope (row-level security hides others: not
 * found), refreshes the grid's figures from that day on and its gaps, and audits it; all in `tx`.
 * `at` is checked by the caller against the clock and the data period; `settings` are read before
 * the scope is entered (the request role may not read them).
 */
export async function recordScreening(
	tx: Queryable,
	scope: AccessScope,
	input: Omit<ScreeningInput, 'at'> & { at: number },
	actor: { id: number; username: string; address: string },
	period: { first: string; last: string },
	clock: number,
	settings: GapSettings
): Promise<ScreeningCreated> {
	const { personId, method, result, at } = input;
	const temperature = input.temperature ?? null;
	const note = input.note ? input.note : null;
	const day = beijingDay(at);
	const [person] = await tx.query<{ id: number; gridId: number | null; gridCode: string | null }>(
		'SELECT p.id, p.grid_id AS "gridId", g.code AS "gridCode" FROM person p LEFT JOIN grid g ON g.id = p.grid_id WHERE p.id = $1',
		[personId]
	);
	if (!person)
		error(404, {
			message: say().gaps_person_not_found({ id: personId }),
			code: 'not_found'
		});
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO screening (subdistrict_id, person_id, screened_at, method, result, temperature, note)
		 VALUES ($1, $2, to_timestamp($3 / 1000.0), $4, $5, $6, $7) RETURNING id`,
		[scope.subdistrictId, personId, at, method, result, temperature, note]
	);
	// From the screening's day on: coverage and the screened totals are cumulative.
	await refreshAfterWrite(tx, scope.subdistrictId, period, day, person.gridCode, true, clock);
	// The grid's gaps at once: a returnee screened closes (or shrinks) their grid's item.
	if (person.gridId !== null)
		await syncGaps(tx, scope.subdistrictId, clock, { gridId: person.gridId, settings });
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'screening.create',
		targetKind: 'person',
		targetId: String(personId),
		detail: { screeningId: row.id, grid: person.gridCode, method, result, temperature, day },
		address: actor.address
	});
	return { id: row.id, personId, grid: person.gridCode, day };
}
