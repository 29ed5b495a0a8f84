import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from './db/scope';
import type { Queryable } from './db/types';
import { writeAudit } from './audit';
import { beijingDay } from '../core/time';
import { because, idField, oneOf } from './http';
import { refreshAfterWrite } from './rollup';
import { syncGaps } from './gaps';
import type { GapSettings } from '../domain/gaps';
import { say } from './say';

export const SCREENING_METHODS = ['door', 'phone', 'checkpoint'] as const;
export const SCREENING_RESULTS = ['normal', 'fever', 'referred'] as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const atReason = because(
	'应为带时区的 ISO 时间，如 2020-02-28T15:30:00+08:00',
	'expected an ISO time with offset, e.g. 2020-02-28T15:30:00+08:00'
);

/** POST /api/screenings: what a screening sends. */
export const ScreeningBody = v.object({
	personId: idField(because('应为正整数', 'expected a positive whole number')),
	method: v.nullish(
		oneOf(
			SCREENING_METHODS,
			`应为 ${SCREENING_METHODS.join('、')} 之一`,
			`expected one of ${SCREENING_METHODS.join(', ')}`
		),
		'door'
	),
	result: v.nullish(
		oneOf(
			SCREENING_RESULTS,
			`应为 ${SCREENING_RESULTS.join('、')} 之一`,
			`expected one of ${SCREENING_RESULTS.join(', ')}`
		),
		'normal'
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
	const day = beijingDay(at);
	const [person] = await tx.query<{ id: number; gridId: number | null; gridCode: string | null }>(
		'SELECT p.id, p.grid_id AS "gridId", g.code AS "gridCode" FROM person p LEFT JOIN grid g ON g.id = p.grid_id WHERE p.id = $1',
		[personId]
	);
	if (!person)
		error(404, {
			message: say(
				`没有编号为 ${personId} 的人员，或不在您的范围内`,
				`No person ${personId} in your scope`
			),
			code: 'not_found'
		});
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO screening (subdistrict_id, person_id, screened_at, method, result)
		 VALUES ($1, $2, to_timestamp($3 / 1000.0), $4, $5) RETURNING id`,
		[scope.subdistrictId, personId, at, method, result]
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
		detail: { screeningId: row.id, grid: person.gridCode, method, result, day },
		address: actor.address
	});
	return { id: row.id, personId, grid: person.gridCode, day };
}
