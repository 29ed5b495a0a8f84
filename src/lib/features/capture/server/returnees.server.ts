import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { AccessScope } from '../../../server/db/scope';
import type { Queryable } from '../../../server/db/types';
import { writeAudit } from '../../../server/audit';
import { beijingDay, beijingClock } from '../../../core/time';
import { badField, isPlainText } from '../../../server/http';
import { refreshAfterWrite } from '../../../server/rollup';
import { hashIdNumber, hashNameForms, hashPhone } from '../../../server/secret';
import { syncGaps } from '../../gaps/server/gaps.server';
import type { GapSettings } from '../../gaps/model/gaps';
import { say } from '../../../server/say';
import { idNumberProblem, normaliseIdNumber } from '../model/id-number';
import { isMobile, maskName, maskPhone, normalisePhone } from '../model/mask';
import { addressText, parseAddress } from '../model/address';
import type { ReturneeCreated } from '../contract';
import { ID_PROBLEM_WORDS } from '../words';
import { findHousehold, householdsAt } from './addresses.server';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const text = (min: number, max: number, reason: () => string) =>
	v.pipe(
		v.string(reason),
		v.check(isPlainText, () => say().core_control_characters()),
		v.trim(),
		v.check((s) => [...s].length >= min && [...s].length <= max, reason)
	);

/** POST /api/returnees: what the form sends, checked field by field in the request's language. */
export const ReturneeBody = v.object({
	name: v.pipe(
		text(1, 30, () => say().capture_name_invalid()),
		v.regex(/^[\p{L}\p{M}·•.' -]+$/u, () => say().capture_name_invalid())
	),
	phone: v.pipe(
		v.string(() => say().capture_phone_invalid()),
		v.transform(normalisePhone),
		v.check(isMobile, () => say().capture_phone_invalid())
	),
	idNumber: v.pipe(
		v.string(() => say().capture_id_length()),
		v.transform(normaliseIdNumber)
	),
	origin: text(2, 40, () => say().capture_origin_invalid()),
	arrivedAt: v.pipe(
		v.string(() => say().capture_arrived_invalid()),
		v.regex(ISO_TIME, () => say().capture_arrived_invalid()),
		v.check(
			(t) => Number.isFinite(Date.parse(t)),
			() => say().capture_arrived_invalid()
		)
	),
	householdId: v.optional(
		v.pipe(
			v.number(() => say().capture_household_not_found({ id: '?' })),
			v.integer(() => say().capture_household_not_found({ id: '?' })),
			v.minValue(1, () => say().capture_household_not_found({ id: '?' })),
			v.maxValue(2_147_483_647, () => say().capture_household_not_found({ id: '?' }))
		)
	),
	address: v.optional(text(1, 80, () => say().capture_household_or_address()))
});
export type ReturneeInput = v.InferOutput<typeof ReturneeBody>;

/**
 * Checks what the schema cannot: the ID number (GB 11643) and the arrival against the clock and the
 * data period. Each refusal is a 400 naming its field.
 */
export function checkReturnee(
	input: ReturneeInput,
	clock: number,
	period: { first: string }
): { arrivedAt: number } {
	const problem = idNumberProblem(input.idNumber, beijingDay(clock));
	if (problem) badField('idNumber', (say()[ID_PROBLEM_WORDS[problem]] as () => string)());
	const arrivedAt = Date.parse(input.arrivedAt);
	if (arrivedAt > clock + 60_000)
		badField(
			'arrivedAt',
			say().capture_arrived_future({ now: `${beijingDay(clock)} ${beijingClock(clock)}` })
		);
	if (beijingDay(arrivedAt) < period.first)
		badField('arrivedAt', say().capture_arrived_before_period({ first: period.first }));
	if ((input.householdId === undefined) === (input.address === undefined))
		badField('householdId', say().capture_household_or_address());
	return { arrivedAt };
}

/**
 * Registers a returnee in the caller's scope: finds their household (by id, or by the address as
 * typed), refuses an ID number already registered anywhere in the subdistrict (saying where), stores
 * the masked name and phone and the ID number's keyed hash, flags a key-area origin, brings the
 * grid's figures and gaps up to date, and audits it; all in `tx`.
 */
export async function registerReturnee(
	tx: Queryable,
	scope: AccessScope,
	input: Omit<ReturneeInput, 'arrivedAt'> & { arrivedAt: number },
	actor: { id: number; username: string; address: string },
	context: {
		period: { first: string; last: string };
		clock: number;
		settings: GapSettings;
		secret: Buffer;
		lang: 'zh-CN' | 'en';
	}
): Promise<ReturneeCreated> {
	const w = say();
	let householdId = input.householdId;
	if (householdId === undefined) {
		const found = await householdsAt(tx, parseAddress(input.address!));
		if (found.length === 0)
			badField('address', w.capture_address_not_found({ address: input.address! }));
		if (found.length > 1)
			badField(
				'address',
				w.capture_address_ambiguous({ address: input.address!, count: String(found.length) })
			);
		householdId = found[0];
	}
	const household = await findHousehold(tx, householdId);
	if (!household)
		badField('householdId', w.capture_household_not_found({ id: String(householdId) }));

	const idHash = hashIdNumber(context.secret, input.idNumber);
	const existing = await registeredWhere(tx, idHash);
	if (existing) alreadyRegistered(existing, context.lang);

	const day = beijingDay(input.arrivedAt);
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, phone_masked, origin, key_area, returnee,
		                     arrival_date, arrived_at, name_keys, phone_hash)
		 VALUES ($1, $2, $3, $4, $5, $6,
		         EXISTS (SELECT 1 FROM key_area k WHERE k.subdistrict_id = $1 AND starts_with($6, k.origin)),
		         true, $7::date, to_timestamp($8 / 1000.0), $9::text[], $10)
		 RETURNING id`,
		[
			scope.subdistrictId,
			householdId,
			idHash,
			maskName(input.name),
			maskPhone(input.phone),
			input.origin,
			day,
			input.arrivedAt,
			// Keyed hashes of the name's forms and the phone: 横向查重 finds this person's other files by them.
			hashNameForms(context.secret, input.name),
			hashPhone(context.secret, input.phone)
		]
	);
	const [person] = await tx.query<{ keyArea: boolean; nameMasked: string; phoneMasked: string }>(
		'SELECT key_area AS "keyArea", name_masked AS "nameMasked", phone_masked AS "phoneMasked" FROM person WHERE id = $1',
		[row.id]
	);
	// From the arrival day on: returnees due for screening are counted cumulatively.
	await refreshAfterWrite(
		tx,
		scope.subdistrictId,
		context.period,
		day,
		household.gridCode,
		true,
		context.clock
	);
	if (household.gridId !== null)
		await syncGaps(tx, scope.subdistrictId, context.clock, {
			gridId: household.gridId,
			settings: context.settings
		});
	const address = addressText(household);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'person.create',
		targetKind: 'person',
		targetId: String(row.id),
		detail: {
			grid: household.gridCode,
			householdId,
			origin: input.origin,
			keyArea: person.keyArea,
			arrivalDay: day
		},
		address: actor.address
	});
	return {
		personId: row.id,
		householdId,
		grid: household.gridCode,
		address,
		nameMasked: person.nameMasked,
		phoneMasked: person.phoneMasked,
		origin: input.origin,
		keyArea: person.keyArea,
		arrivalDay: day
	};
}

export interface RegisteredAt {
	personId: number | null;
	community: string | null;
	communityEn: string | null;
	grid: string | null;
}

/** Where an ID number's hash is registered in the caller's subdistrict (SQL person_registered_where), or null. */
export async function registeredWhere(tx: Queryable, idHash: string): Promise<RegisteredAt | null> {
	const [found] = await tx.query<RegisteredAt>(
		`SELECT person_id AS "personId", community_name AS community, community_name_en AS "communityEn", grid_code AS grid
		 FROM person_registered_where($1)`,
		[idHash]
	);
	return found ?? null;
}

/** 409: the ID number is registered already; says where (and which person, when the caller may see it). */
export function alreadyRegistered(found: RegisteredAt, lang: 'zh-CN' | 'en'): never {
	const w = say();
	const where =
		found.grid === null
			? w.capture_where_unknown()
			: w.capture_where_grid({
					community: (lang === 'en' ? found.communityEn : found.community) ?? '',
					grid: found.grid
				});
	error(409, {
		message:
			found.personId === null
				? w.capture_already_registered({ where })
				: w.capture_already_registered_here({ where, id: String(found.personId) }),
		code: 'already_registered',
		field: 'idNumber'
	});
}
