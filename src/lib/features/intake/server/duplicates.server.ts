import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Queryable } from '../../../server/db/types';
import type { AccessScope } from '../../../server/db/scope';
import { writeAudit } from '../../../server/audit';
import { say } from '../../../server/say';
import { addressText, buildingLabel, unitLabel } from '../../capture/model/address';
import { DUPLICATE_RULES, type DuplicateRule } from '../model/duplicates';
import type {
	ApartView,
	DuplicateList,
	DuplicatePair,
	DuplicatePerson,
	PersonMergeView
} from '../contract';
import { refreshPersons, type Actor, type WriteContext } from './imports.server';

/** The candidates listed at once (the rest are counted). */
const LISTED_PAIRS = 200;

/**
 * The pairs of the subdistrict's persons that a rule says are probably one person (see
 * model/duplicates), each with its strongest rule, less those a data officer kept apart (unless
 * `all`). SQL with $1 the subdistrict, $2 the persons both sides are among or NULL, $3 the rules.
 */
const candidatesSql = (all: boolean) => `
	WITH p AS (
	  SELECT id, community_id, household_id, name_keys, phone_hash, name_masked, phone_masked FROM person
	  WHERE subdistrict_id = $1 AND ($2::int[] IS NULL OR id = ANY ($2::int[]))),
	found AS (
	  SELECT a.id AS a, b.id AS b,
	         CASE WHEN a.name_keys[1] = b.name_keys[1] THEN 'name_phone' ELSE 'similar_name_phone' END AS rule
	  FROM p a JOIN p b ON b.phone_hash = a.phone_hash AND b.id > a.id
	  WHERE a.name_keys && b.name_keys
	  UNION ALL
	  SELECT a.id, b.id, 'similar_name_address' FROM p a JOIN p b ON b.household_id = a.household_id AND b.id > a.id
	  WHERE a.name_keys && b.name_keys
	  UNION ALL
	  -- Records written before names were hashed: their masks, in two households (one household's
	  -- members often share a surname and a phone).
	  SELECT a.id, b.id, 'masked_name_phone' FROM p a
	  JOIN p b ON b.name_masked = a.name_masked AND b.phone_masked = a.phone_masked AND b.id > a.id
	  WHERE (a.name_keys IS NULL OR b.name_keys IS NULL) AND a.household_id <> b.household_id),
	best AS (
	  SELECT DISTINCT ON (a, b) a, b, rule, array_position($3::text[], rule) AS strength FROM found
	  ORDER BY a, b, array_position($3::text[], rule))
	SELECT best.a, best.b, best.rule, best.strength,
	       (SELECT x.community_id IS DISTINCT FROM y.community_id FROM p x, p y WHERE x.id = best.a AND y.id = best.b) AS across
	FROM best
	${all ? '' : 'WHERE NOT EXISTS (SELECT 1 FROM person_apart k WHERE k.person_a = best.a AND k.person_b = best.b)'}`;

interface Candidate {
	a: number;
	b: number;
	rule: DuplicateRule;
}

async function candidates(
	tx: Queryable,
	subdistrictId: number,
	only: number[] | null
): Promise<Candidate[]> {
	// Strongest rule first; across communities (横向) before within one.
	return tx.query<Candidate>(
		`SELECT a, b, rule FROM (${candidatesSql(false)}) c ORDER BY strength, across DESC, a, b`,
		[subdistrictId, only, DUPLICATE_RULES]
	);
}

/** The persons of the list, as it shows them. */
async function personsById(tx: Queryable, ids: number[]): Promise<Map<number, DuplicatePerson>> {
	const rows = await tx.query<
		Omit<DuplicatePerson, 'address' | 'community'> & {
			communityCode: string | null;
			communityName: string | null;
			communityNameEn: string | null;
			compound: string | null;
			building: number | null;
			buildingCode: string | null;
			unit: number | null;
			room: string | null;
			household: string;
		}
	>(
		`SELECT p.id, p.name_masked AS "nameMasked", p.phone_masked AS "phoneMasked", p.origin, p.returnee,
		        p.arrival_date::text AS "arrivalDate", p.key_area AS "keyArea",
		        c.code AS "communityCode", c.name AS "communityName", c.name_en AS "communityNameEn", g.code AS grid,
		        cp.name AS compound, b.number AS building, b.code AS "buildingCode", h.unit, h.room, h.code AS household,
		        (SELECT count(*)::int FROM screening s WHERE s.person_id = p.id) AS screenings,
		        (SELECT count(*)::int FROM observation o WHERE o.person_id = p.id) AS observations
		 FROM person p JOIN household h ON h.id = p.household_id
		 LEFT JOIN building b ON b.id = h.building_id LEFT JOIN compound cp ON cp.id = b.compound_id
		 LEFT JOIN community c ON c.id = p.community_id LEFT JOIN grid g ON g.id = p.grid_id
		 WHERE p.id = ANY ($1::int[])`,
		[ids]
	);
	return new Map(
		rows.map((r) => [
			r.id,
			{
				id: r.id,
				nameMasked: r.nameMasked,
				phoneMasked: r.phoneMasked,
				community: r.communityCode
					? { code: r.communityCode, name: r.communityName!, nameEn: r.communityNameEn ?? '' }
					: null,
				grid: r.grid,
				address:
					r.room === null || r.building === null
						? r.household
						: addressText({
								compound: r.compound,
								building: buildingLabel(r.building, r.compound !== null, r.buildingCode ?? ''),
								unit: unitLabel(r.unit),
								room: r.room
							}),
				origin: r.origin,
				returnee: r.returnee,
				arrivalDate: r.arrivalDate,
				keyArea: r.keyArea,
				screenings: r.screenings,
				observations: r.observations
			}
		])
	);
}

const stamp = (column: string) =>
	`to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;

/** Merges as PersonMergeView, to be followed by a WHERE on `m` (person_merge). */
const MERGES = `
	SELECT m.id, m.rule,
	       json_build_object('id', p.id, 'nameMasked', p.name_masked, 'community', c.name, 'communityEn', c.name_en) AS kept,
	       json_build_object('id', m.merged_id, 'nameMasked', m.merged_row->>'name_masked') AS merged,
	       json_build_object('screenings', jsonb_array_length(m.moved->'screening'),
	                         'observations', jsonb_array_length(m.moved->'observation'),
	                         'healthChecks', jsonb_array_length(m.moved->'health_check')) AS moved,
	       u.username AS "mergedBy", ${stamp('m.merged_at')} AS "mergedAt",
	       v.username AS "undoneBy", ${stamp('m.undone_at')} AS "undoneAt"
	FROM person_merge m JOIN person p ON p.id = m.kept_id LEFT JOIN community c ON c.id = p.community_id
	JOIN app_user u ON u.id = m.merged_by LEFT JOIN app_user v ON v.id = m.undone_by`;

/**
 * The duplicate list (GET /api/duplicates): candidate pairs, the subdistrict's recent merges and
 * pairs kept apart. A person-level read: the caller audits it with the persons it names.
 */
export async function listDuplicates(tx: Queryable, subdistrictId: number): Promise<DuplicateList> {
	const found = await candidates(tx, subdistrictId, null);
	const listed = found.slice(0, LISTED_PAIRS);
	const persons = await personsById(tx, [...new Set(listed.flatMap((c) => [c.a, c.b]))]);
	const pairs: DuplicatePair[] = listed.map((c) => ({
		rule: c.rule,
		a: persons.get(c.a)!,
		b: persons.get(c.b)!
	}));
	const merges = await tx.query<PersonMergeView>(
		`${MERGES} WHERE m.subdistrict_id = $1 ORDER BY m.id DESC LIMIT 50`,
		[subdistrictId]
	);
	const apart = await tx.query<ApartView>(
		`SELECT json_build_object('id', a.id, 'nameMasked', a.name_masked) AS a,
		        json_build_object('id', b.id, 'nameMasked', b.name_masked) AS b,
		        u.username AS "decidedBy", ${stamp('k.decided_at')} AS "decidedAt"
		 FROM person_apart k JOIN person a ON a.id = k.person_a JOIN person b ON b.id = k.person_b
		 JOIN app_user u ON u.id = k.decided_by
		 WHERE k.subdistrict_id = $1 ORDER BY k.decided_at DESC LIMIT 50`,
		[subdistrictId]
	);
	return { pairs, more: found.length - listed.length, merges, apart };
}

/** Every person a duplicate list names (pairs, merges, pairs kept apart): what its read audits. */
function personsNamed(list: DuplicateList): number[] {
	return [
		...new Set([
			...list.pairs.flatMap((p) => [p.a.id, p.b.id]),
			...list.merges.flatMap((m) => [m.kept.id, m.merged.id]),
			...list.apart.flatMap((k) => [k.a.id, k.b.id])
		])
	];
}

/** The duplicate list as a person-level read: listed, then audited with every person it names. */
export async function readDuplicates(
	tx: Queryable,
	subdistrictId: number,
	actor: Actor
): Promise<DuplicateList> {
	const list = await listDuplicates(tx, subdistrictId);
	await writeAudit(tx, {
		subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'person.read',
		targetKind: 'subdistrict',
		targetId: String(subdistrictId),
		detail: { personIds: personsNamed(list) },
		address: actor.address
	});
	return list;
}

interface PersonRow {
	id: number;
	gridId: number | null;
	returnee: boolean;
	arrivalDate: string | null;
	arrivedAt: string | null;
	keyArea: boolean;
	phoneMasked: string | null;
	phoneHash: string | null;
}

/** Both persons of a pair, locked, or a 404 naming the one not found. */
async function lockPair(tx: Queryable, ids: [number, number]): Promise<Map<number, PersonRow>> {
	const rows = await tx.query<PersonRow>(
		`SELECT id, grid_id AS "gridId", returnee, arrival_date::text AS "arrivalDate", arrived_at::text AS "arrivedAt",
		        key_area AS "keyArea", phone_masked AS "phoneMasked", phone_hash AS "phoneHash"
		 FROM person WHERE id = ANY ($1::int[]) ORDER BY id FOR UPDATE`,
		[ids]
	);
	const found = new Map(rows.map((r) => [r.id, r]));
	for (const id of ids)
		if (!found.has(id))
			error(404, {
				message: say().intake_dup_person_not_found({ id: String(id) }),
				code: 'not_found'
			});
	return found;
}

/** The rule that links two persons now, or a 409 in words when none does (only listed pairs are merged). */
async function ruleOf(tx: Queryable, subdistrictId: number, a: number, b: number) {
	const [found] = await tx.query<Candidate>(`SELECT rule FROM (${candidatesSql(true)}) c`, [
		subdistrictId,
		[a, b],
		DUPLICATE_RULES
	]);
	if (!found)
		error(409, {
			message: say().intake_dup_not_candidates({ a: String(a), b: String(b) }),
			code: 'conflict'
		});
	return found.rule;
}

/** After a merge or its undo: the figures of the persons' grids from the first day their records touch, and the gap queue. */
async function refreshAround(
	tx: Queryable,
	subdistrictId: number,
	context: WriteContext,
	gridIds: (number | null)[],
	personIds: number[]
) {
	const [{ from }] = await tx.query<{ from: string | null }>(
		`SELECT least((SELECT min(arrival_date) FROM person WHERE id = ANY ($1::int[])),
		              (SELECT min((screened_at AT TIME ZONE 'Asia/Shanghai')::date) FROM screening WHERE person_id = ANY ($1::int[])),
		              (SELECT min(start_date) FROM observation WHERE person_id = ANY ($1::int[])))::text AS from`,
		[personIds]
	);
	await refreshPersons(tx, subdistrictId, context, {
		gridIds: [...new Set(gridIds.flatMap((g) => (g === null ? [] : [g])))],
		from
	});
}

/**
 * Merges two files of one person (POST /api/duplicates/merges): the merged person's screenings,
 * observations and health checks move to the kept one, which also takes the earlier arrival, a
 * key-area flag and a phone it lacked; the merged row is removed and kept in the merge, which can be
 * undone. Only a pair a rule links is merged. Audited.
 */
export async function mergePersons(
	tx: Queryable,
	scope: AccessScope,
	pair: { keep: number; merge: number },
	actor: Actor,
	context: WriteContext
): Promise<PersonMergeView> {
	const w = say();
	const { keep, merge } = pair;
	if (keep === merge)
		error(400, { message: w.intake_dup_same_person(), field: 'merge', code: 'bad_field' });
	const locked = await lockPair(tx, [keep, merge]);
	const kept = locked.get(keep)!;
	const merged = locked.get(merge)!;
	// The merged person keeps the file of an earlier merge: that merge would lose its file.
	const [chained] = await tx.query<{ id: number }>(
		'SELECT id FROM person_merge WHERE kept_id = $1 AND undone_at IS NULL ORDER BY id LIMIT 1',
		[merge]
	);
	if (chained)
		error(409, {
			message: w.intake_dup_merge_chain({ id: String(merge), merge: String(chained.id) }),
			code: 'conflict'
		});
	const rule = await ruleOf(tx, scope.subdistrictId, keep, merge);
	const [{ row }] = await tx.query<{ row: unknown }>(
		'SELECT to_jsonb(p) AS row FROM person p WHERE id = $1',
		[merge]
	);
	const move = async (table: string) =>
		(
			await tx.query<{ id: number }>(
				`UPDATE ${table} SET person_id = $1 WHERE person_id = $2 RETURNING id`,
				[keep, merge]
			)
		).map((r) => r.id);
	const moved = {
		screening: await move('screening'),
		observation: await move('observation'),
		health_check: await move('health_check')
	};
	// The kept file takes the earlier arrival of a returnee, a key-area flag and a phone it lacked.
	const takeArrival =
		merged.returnee &&
		(!kept.returnee || (merged.arrivalDate ?? '') < (kept.arrivalDate ?? '9999'));
	// Pairs kept apart that name the merged person go with the row (kept with the merge for an undo);
	// an undone merge that kept them goes too (the audit log keeps that it was).
	const apart = await tx.query<{ a: number; b: number; by: number; at: string }>(
		`DELETE FROM person_apart WHERE person_a = $1 OR person_b = $1
		 RETURNING person_a AS a, person_b AS b, decided_by AS by, decided_at::text AS at`,
		[merge]
	);
	await tx.query('DELETE FROM person_merge WHERE kept_id = $1 AND undone_at IS NOT NULL', [merge]);
	await tx.query('DELETE FROM person WHERE id = $1', [merge]);
	await tx.query(
		`UPDATE person k SET returnee = k.returnee OR m.returnee,
		        arrival_date = CASE WHEN $3 THEN m.arrival_date ELSE k.arrival_date END,
		        arrived_at = CASE WHEN $3 THEN m.arrived_at ELSE k.arrived_at END,
		        key_area = k.key_area OR m.key_area,
		        phone_masked = coalesce(k.phone_masked, m.phone_masked), phone_hash = coalesce(k.phone_hash, m.phone_hash)
		 FROM jsonb_populate_record(NULL::person, $2::text::jsonb) m WHERE k.id = $1`,
		[keep, JSON.stringify(row), takeArrival]
	);
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO person_merge (subdistrict_id, kept_id, merged_id, merged_row, kept_before, moved, rule, merged_by)
		 VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6::text::jsonb, $7, $8) RETURNING id`,
		[
			scope.subdistrictId,
			keep,
			merge,
			JSON.stringify(row),
			JSON.stringify({
				returnee: kept.returnee,
				arrivalDate: kept.arrivalDate,
				arrivedAt: kept.arrivedAt,
				keyArea: kept.keyArea,
				phoneMasked: kept.phoneMasked,
				phoneHash: kept.phoneHash
			}),
			JSON.stringify({ ...moved, apart }),
			rule,
			actor.id
		]
	);
	await refreshAround(tx, scope.subdistrictId, context, [kept.gridId, merged.gridId], [keep]);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'person.merge',
		targetKind: 'person',
		targetId: String(keep),
		detail: {
			personIds: [keep, merge],
			rule,
			screenings: moved.screening.length,
			observations: moved.observation.length + moved.health_check.length
		},
		address: actor.address
	});
	return (await mergeView(tx, id))!;
}

async function mergeView(tx: Queryable, id: number): Promise<PersonMergeView | null> {
	const [found] = await tx.query<PersonMergeView>(`${MERGES} WHERE m.id = $1`, [id]);
	return found ?? null;
}

/**
 * Undoes a merge (DELETE /api/duplicates/merges/ID): the merged person back as they were, with the
 * records that moved (those still with the kept person), and the kept person's columns as before.
 * Refused in words while the ID number is someone's again or the household is gone. Audited.
 */
export async function undoMerge(
	tx: Queryable,
	scope: AccessScope,
	id: number,
	actor: Actor,
	context: WriteContext
): Promise<PersonMergeView> {
	const w = say();
	const [merge] = await tx.query<{
		keptId: number;
		mergedId: number;
		row: { id_hash: string; household_id: number };
		keptBefore: Record<string, unknown>;
		moved: {
			screening: number[];
			observation: number[];
			health_check: number[];
			apart?: { a: number; b: number; by: number; at: string }[];
		};
		undone: boolean;
	}>(
		`SELECT kept_id AS "keptId", merged_id AS "mergedId", merged_row AS row, kept_before AS "keptBefore", moved,
		        undone_at IS NOT NULL AS undone
		 FROM person_merge WHERE id = $1 FOR UPDATE`,
		[id]
	);
	if (!merge)
		error(404, { message: w.intake_dup_merge_not_found({ id: String(id) }), code: 'not_found' });
	if (merge.undone)
		error(409, { message: w.intake_dup_merge_undone({ id: String(id) }), code: 'conflict' });
	// A later merge into the same file took its columns from what this one left: that one first.
	const [later] = await tx.query<{ id: number }>(
		'SELECT id FROM person_merge WHERE kept_id = $1 AND undone_at IS NULL AND id > $2 ORDER BY id DESC LIMIT 1',
		[merge.keptId, id]
	);
	if (later)
		error(409, {
			message: w.intake_dup_undo_later({ id: String(id), later: String(later.id) }),
			code: 'conflict'
		});
	const [taken] = await tx.query<{ id: number }>(
		'SELECT id FROM person WHERE subdistrict_id = $1 AND id_hash = $2',
		[scope.subdistrictId, merge.row.id_hash]
	);
	if (taken)
		error(409, {
			message: w.intake_dup_undo_id_taken({ id: String(id), person: String(taken.id) }),
			code: 'conflict'
		});
	const [home] = await tx.query<{ id: number }>('SELECT id FROM household WHERE id = $1', [
		merge.row.household_id
	]);
	if (!home)
		error(409, { message: w.intake_dup_undo_household_gone({ id: String(id) }), code: 'conflict' });
	const [before] = await tx.query<{ gridId: number | null }>(
		'SELECT grid_id AS "gridId" FROM person WHERE id = $1 FOR UPDATE',
		[merge.keptId]
	);
	await tx.query(
		'INSERT INTO person SELECT (jsonb_populate_record(NULL::person, $1::text::jsonb)).*',
		[JSON.stringify(merge.row)]
	);
	for (const table of ['screening', 'observation', 'health_check'] as const)
		await tx.query(
			`UPDATE ${table} SET person_id = $1 WHERE id = ANY ($2::int[]) AND person_id = $3`,
			[merge.mergedId, merge.moved[table], merge.keptId]
		);
	for (const k of merge.moved.apart ?? [])
		await tx.query(
			`INSERT INTO person_apart (subdistrict_id, person_a, person_b, decided_by, decided_at)
			 SELECT $1, $2, $3, $4, $5::timestamptz WHERE EXISTS (SELECT 1 FROM person WHERE id = $2)
			   AND EXISTS (SELECT 1 FROM person WHERE id = $3)
			 ON CONFLICT (person_a, person_b) DO NOTHING`,
			[scope.subdistrictId, k.a, k.b, k.by, k.at]
		);
	const k = merge.keptBefore;
	await tx.query(
		`UPDATE person SET returnee = $2, arrival_date = $3::date, arrived_at = $4::timestamptz, key_area = $5,
		        phone_masked = $6, phone_hash = $7 WHERE id = $1`,
		[merge.keptId, k.returnee, k.arrivalDate, k.arrivedAt, k.keyArea, k.phoneMasked, k.phoneHash]
	);
	await tx.query('UPDATE person_merge SET undone_at = now(), undone_by = $2 WHERE id = $1', [
		id,
		actor.id
	]);
	const [back] = await tx.query<{ gridId: number | null }>(
		'SELECT grid_id AS "gridId" FROM person WHERE id = $1',
		[merge.mergedId]
	);
	await refreshAround(
		tx,
		scope.subdistrictId,
		context,
		[before.gridId, back.gridId],
		[merge.keptId, merge.mergedId]
	);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: 'person.unmerge',
		targetKind: 'person',
		targetId: String(merge.keptId),
		detail: { personIds: [merge.keptId, merge.mergedId] },
		address: actor.address
	});
	return (await mergeView(tx, id))!;
}

/**
 * Says two persons are two people (POST /api/duplicates/apart), or takes that back (DELETE): the
 * pair is no longer listed, or listed again. Audited.
 */
export async function setApart(
	tx: Queryable,
	scope: AccessScope,
	pair: [number, number],
	apart: boolean,
	actor: Actor
): Promise<void> {
	const [a, b] = pair[0] < pair[1] ? pair : [pair[1], pair[0]];
	if (a === b)
		error(400, { message: say().intake_dup_same_person(), field: 'b', code: 'bad_field' });
	await lockPair(tx, [a, b]);
	if (apart)
		await tx.query(
			`INSERT INTO person_apart (subdistrict_id, person_a, person_b, decided_by) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (person_a, person_b) DO NOTHING`,
			[scope.subdistrictId, a, b, actor.id]
		);
	else await tx.query('DELETE FROM person_apart WHERE person_a = $1 AND person_b = $2', [a, b]);
	await writeAudit(tx, {
		subdistrictId: scope.subdistrictId,
		actorUserId: actor.id,
		actor: actor.username,
		action: apart ? 'person.keep_apart' : 'person.keep_apart_undo',
		targetKind: 'person',
		targetId: String(a),
		detail: { personIds: [a, b] },
		address: actor.address
	});
}

const personId = (field: string) =>
	v.pipe(
		v.number(() => say().intake_dup_bad_person({ field })),
		v.integer(() => say().intake_dup_bad_person({ field })),
		v.minValue(1, () => say().intake_dup_bad_person({ field })),
		v.maxValue(2_147_483_647, () => say().intake_dup_bad_person({ field }))
	);

/** POST /api/duplicates/merges: the person whose file is kept and the one merged into it. */
export const MergeBody = v.object({ keep: personId('keep'), merge: personId('merge') });
/** POST and DELETE /api/duplicates/apart: the two persons. */
export const ApartBody = v.object({ a: personId('a'), b: personId('b') });
