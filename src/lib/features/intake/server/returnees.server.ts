import type { Queryable } from '../../../server/db/types';
import { addressText, buildingLabel, unitLabel } from '../../capture/model/address';
import type { RowProblem } from '../model/problem';
import type { ReturneeField, ReturneeRow } from '../model/returnee-register';

/** What a person was before a commit changed them (kept in import_change for a rollback). */
interface PersonBefore {
	householdId: number;
	nameMasked: string;
	phoneMasked: string | null;
	nameKeys: string[] | null;
	phoneHash: string | null;
	origin: string;
	arrivalDate: string | null;
	arrivedAt: number | null;
	returnee: boolean;
}

interface Existing extends PersonBefore {
	id: number;
	idHash: string;
	/** Found by an ID number that a data officer merged into this person's file (横向查重). */
	merged: boolean;
}

export interface ReturneePlan {
	inserts: { row: ReturneeRow; householdId: number }[];
	updates: { row: ReturneeRow; personId: number; householdId: number; before: PersonBefore }[];
	/** Rows that change nothing, with those whose ID number was merged into another person's file. */
	unchanged: number;
	problems: RowProblem[];
}

const roomKey = (room: string) => room.replace(/^0+(?=.)/, '');

/**
 * Finds each returnee's household (by its code, or by the address as the address register knows
 * it) and their earlier registration (the same ID number's hash): which rows add a person, which
 * change one, which change nothing, which cannot be placed.
 */
export async function planReturnees(
	tx: Queryable,
	subdistrictId: number,
	rows: ReturneeRow[],
	columns: Partial<Record<ReturneeField, string>>
): Promise<ReturneePlan> {
	const col = (field: ReturneeField) => columns[field] ?? field;
	const codes = [...new Set(rows.flatMap((r) => (r.householdCode ? [r.householdCode] : [])))];
	const byCode = new Map(
		(
			await tx.query<{ id: number; code: string }>(
				'SELECT id, code FROM household WHERE subdistrict_id = $1 AND code = ANY ($2::text[])',
				[subdistrictId, codes]
			)
		).map((h) => [h.code, h.id])
	);
	const compounds = [...new Set(rows.flatMap((r) => (r.address ? [r.address.compound] : [])))];
	const households = await tx.query<{
		id: number;
		compound: string;
		community: string;
		building: number;
		unit: number | null;
		room: string;
	}>(
		`SELECT h.id, regexp_replace(cp.name, '\\s', '', 'g') AS compound, regexp_replace(c.name, '\\s', '', 'g') AS community,
		        b.number AS building, h.unit, h.room
		 FROM household h JOIN building b ON b.id = h.building_id
		 JOIN compound cp ON cp.id = b.compound_id JOIN community c ON c.id = cp.community_id
		 WHERE cp.subdistrict_id = $1 AND regexp_replace(cp.name, '\\s', '', 'g') = ANY ($2::text[])
		   AND b.number IS NOT NULL AND h.room IS NOT NULL`,
		[subdistrictId, compounds]
	);
	// A room is found by compound, building, unit and room, or without its unit where only one room has that number.
	const at = new Map<string, { id: number; community: string }[]>();
	for (const h of households)
		for (const key of [
			`${h.compound}|${h.building}|${h.unit ?? ''}|${roomKey(h.room)}`,
			`${h.compound}|${h.building}|*|${roomKey(h.room)}`
		])
			at.set(key, [...(at.get(key) ?? []), { id: h.id, community: h.community }]);
	const existing = new Map(
		(
			await tx.query<Existing>(
				`WITH found AS (
				   SELECT p.*, p.id_hash AS hash, false AS merged FROM person p
				   WHERE p.subdistrict_id = $1 AND p.id_hash = ANY ($2::text[])
				   UNION ALL
				   SELECT p.*, m.merged_row->>'id_hash', true FROM person_merge m JOIN person p ON p.id = m.kept_id
				   WHERE m.subdistrict_id = $1 AND m.undone_at IS NULL AND m.merged_row->>'id_hash' = ANY ($2::text[]))
				 SELECT id, hash AS "idHash", household_id AS "householdId", name_masked AS "nameMasked",
				        phone_masked AS "phoneMasked", name_keys AS "nameKeys", phone_hash AS "phoneHash", origin,
				        arrival_date::text AS "arrivalDate", (extract(epoch FROM arrived_at) * 1000)::float8 AS "arrivedAt",
				        returnee, merged
				 FROM found`,
				[subdistrictId, rows.map((r) => r.idHash)]
			)
		).map((p) => [p.idHash, p])
	);
	const plan: ReturneePlan = { inserts: [], updates: [], unchanged: 0, problems: [] };
	for (const row of rows) {
		let householdId: number | undefined;
		if (row.householdCode) {
			householdId = byCode.get(row.householdCode);
			if (householdId === undefined) {
				plan.problems.push({
					row: row.row,
					column: col('householdCode'),
					value: row.householdCode,
					reason: 'household_unknown'
				});
				continue;
			}
		} else if (row.address) {
			const a = row.address;
			let found = at.get(`${a.compound}|${a.building}|${a.unit ?? '*'}|${roomKey(a.room)}`) ?? [];
			if (a.community) found = found.filter((h) => h.community === a.community);
			if (found.length !== 1) {
				const column = a.via === 'address' ? col('address') : col('room');
				const value = addressText({
					compound: a.compound,
					building: buildingLabel(a.building, true, ''),
					unit: unitLabel(a.unit),
					room: a.room
				});
				plan.problems.push(
					found.length
						? {
								row: row.row,
								column,
								value,
								reason: 'address_ambiguous',
								detail: String(found.length)
							}
						: { row: row.row, column, value, reason: 'address_unknown' }
				);
				continue;
			}
			householdId = found[0].id;
		}
		const person = existing.get(row.idHash);
		if (!person) {
			plan.inserts.push({ row, householdId: householdId! });
			continue;
		}
		// An ID number merged into another file (a typo a data officer found): that file is the person's,
		// and the row, written again every day by its community, changes nothing.
		if (person.merged) {
			plan.unchanged++;
			continue;
		}
		const after: PersonBefore = {
			householdId: householdId!,
			nameMasked: row.nameMasked,
			// A register without a phone leaves the one on record.
			phoneMasked: row.phoneMasked ?? person.phoneMasked,
			nameKeys: row.nameKeys,
			phoneHash: row.phoneHash ?? person.phoneHash,
			origin: row.origin,
			arrivalDate: row.arrivalDate,
			arrivedAt:
				row.arrivedAt ?? (person.arrivalDate === row.arrivalDate ? person.arrivedAt : null),
			returnee: true
		};
		const same = (Object.keys(after) as (keyof PersonBefore)[]).every((k) =>
			k === 'nameKeys' ? after[k]?.join() === person[k]?.join() : after[k] === person[k]
		);
		if (same) plan.unchanged++;
		else {
			const { id, idHash, merged, ...before } = person;
			void idHash;
			void merged;
			plan.updates.push({ row, personId: id, householdId: householdId!, before });
		}
	}
	return plan;
}

/**
 * Writes a returnee plan: new persons inserted (their grid and community follow their household;
 * a key-area origin is flagged), changed ones updated. Returns each row written, with what it was.
 */
export async function writeReturnees(
	tx: Queryable,
	subdistrictId: number,
	plan: ReturneePlan
): Promise<{ table: string; rowId: number; before: unknown }[]> {
	const changes: { table: string; rowId: number; before: unknown }[] = [];
	if (plan.inserts.length) {
		const rows = plan.inserts.map((i) => i.row);
		const inserted = await tx.query<{ id: number }>(
			`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, phone_masked, origin, key_area, returnee,
			                     arrival_date, arrived_at, name_keys, phone_hash)
			 SELECT $1, x.household_id, x.id_hash, x.name_masked, x.phone_masked, x.origin,
			        EXISTS (SELECT 1 FROM key_area k WHERE k.subdistrict_id = $1 AND starts_with(x.origin, k.origin)),
			        true, x.arrival_date, to_timestamp(x.arrived_at / 1000.0), string_to_array(x.name_keys, ','), x.phone_hash
			 FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::float8[], $9::text[], $10::text[])
			      WITH ORDINALITY AS x(household_id, id_hash, name_masked, phone_masked, origin, arrival_date, arrived_at, name_keys, phone_hash, i)
			 ORDER BY x.i
			 RETURNING id`,
			[
				subdistrictId,
				plan.inserts.map((i) => i.householdId),
				rows.map((r) => r.idHash),
				rows.map((r) => r.nameMasked),
				rows.map((r) => r.phoneMasked),
				rows.map((r) => r.origin),
				rows.map((r) => r.arrivalDate),
				rows.map((r) => r.arrivedAt),
				rows.map((r) => r.nameKeys.join(',')),
				rows.map((r) => r.phoneHash)
			]
		);
		for (const p of inserted) changes.push({ table: 'person', rowId: p.id, before: null });
	}
	if (plan.updates.length) {
		const rows = plan.updates.map((u) => u.row);
		await tx.query(
			`UPDATE person p SET household_id = x.household_id, name_masked = x.name_masked,
			        phone_masked = coalesce(x.phone_masked, p.phone_masked), origin = x.origin,
			        key_area = EXISTS (SELECT 1 FROM key_area k WHERE k.subdistrict_id = p.subdistrict_id AND starts_with(x.origin, k.origin)),
			        returnee = true, arrival_date = x.arrival_date,
			        arrived_at = CASE WHEN x.arrived_at IS NOT NULL THEN to_timestamp(x.arrived_at / 1000.0)
			                          WHEN p.arrival_date = x.arrival_date THEN p.arrived_at END,
			        name_keys = string_to_array(x.name_keys, ','), phone_hash = coalesce(x.phone_hash, p.phone_hash)
			 FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::float8[], $8::text[], $9::text[])
			      AS x(id, household_id, name_masked, phone_masked, origin, arrival_date, arrived_at, name_keys, phone_hash)
			 WHERE p.id = x.id`,
			[
				plan.updates.map((u) => u.personId),
				plan.updates.map((u) => u.householdId),
				rows.map((r) => r.nameMasked),
				rows.map((r) => r.phoneMasked),
				rows.map((r) => r.origin),
				rows.map((r) => r.arrivalDate),
				rows.map((r) => r.arrivedAt),
				rows.map((r) => r.nameKeys.join(',')),
				rows.map((r) => r.phoneHash)
			]
		);
		for (const u of plan.updates)
			changes.push({ table: 'person', rowId: u.personId, before: u.before });
	}
	return changes;
}

/**
 * What a batch's persons change in the rollup: the grids they live in now and lived in before it, and
 * the first day to rebuild (the earliest arrival when the batch only added persons; else null: all).
 */
export async function personGrids(
	tx: Queryable,
	batchId: number
): Promise<{ gridIds: number[]; from: string | null }> {
	const rows = await tx.query<{ gridId: number | null; day: string | null; changed: boolean }>(
		`SELECT p.grid_id AS "gridId", p.arrival_date::text AS day, c.before IS NOT NULL AS changed
		 FROM import_change c JOIN person p ON p.id = c.row_id
		 WHERE c.batch_id = $1 AND c.table_name = 'person'
		 UNION ALL
		 SELECT h.grid_id, NULL, true FROM import_change c JOIN household h ON h.id = (c.before->>'householdId')::int
		 WHERE c.batch_id = $1 AND c.table_name = 'person' AND c.before IS NOT NULL`,
		[batchId]
	);
	const days = rows.flatMap((r) => (r.day ? [r.day] : []));
	// A changed person (moved, or a resident made a returnee) also moves their screenings, counted from
	// the first one, whenever it was: then every day is rebuilt.
	const changed = rows.some((r) => r.changed);
	return {
		gridIds: [...new Set(rows.flatMap((r) => (r.gridId === null ? [] : [r.gridId])))],
		from: days.length && !changed ? days.reduce((a, b) => (a < b ? a : b)) : null
	};
}

/**
 * Undoes a returnee batch: the persons it added are deleted, the ones it changed put back as they
 * were. Returns how many records the undo would leave wrong (see below): when any, nothing is
 * undone and the caller refuses.
 */
export async function undoReturnees(
	tx: Queryable,
	batchId: number
): Promise<{ screenings: number; observations: number; merges: number }> {
	// A person of the batch in a merge (kept or merged away): the merge is undone first.
	const [{ merges }] = await tx.query<{ merges: number }>(
		`SELECT count(*)::int AS merges FROM person_merge m
		 WHERE m.undone_at IS NULL
		   AND (m.kept_id IN (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person')
		        OR m.merged_id IN (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person'))`,
		[batchId]
	);
	if (merges) return { screenings: 0, observations: 0, merges };
	// Records that would be left wrong: any of a person the batch added; of a person it changed, any
	// written since the commit (ids past those the commit saw: the times people type can be earlier).
	const [used] = await tx.query<{ screenings: number; observations: number }>(
		`WITH b AS (SELECT coalesce((options->'seen'->>'screening')::int, 0) AS s,
		                   coalesce((options->'seen'->>'observation')::int, 0) AS o,
		                   coalesce((options->'seen'->>'healthCheck')::int, 0) AS h
		            FROM import_batch WHERE id = $1),
		      added AS (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person' AND before IS NULL),
		      changed AS (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person' AND before IS NOT NULL)
		 SELECT (SELECT count(*)::int FROM screening WHERE person_id IN (SELECT row_id FROM added))
		      + (SELECT count(*)::int FROM screening x, b WHERE x.person_id IN (SELECT row_id FROM changed) AND x.id > b.s) AS screenings,
		        (SELECT count(*)::int FROM observation WHERE person_id IN (SELECT row_id FROM added))
		      + (SELECT count(*)::int FROM health_check WHERE person_id IN (SELECT row_id FROM added))
		      + (SELECT count(*)::int FROM observation x, b WHERE x.person_id IN (SELECT row_id FROM changed) AND x.id > b.o)
		      + (SELECT count(*)::int FROM health_check x, b WHERE x.person_id IN (SELECT row_id FROM changed) AND x.id > b.h) AS observations`,
		[batchId]
	);
	if (used.screenings || used.observations) return { ...used, merges };
	await tx.query(
		`UPDATE person p SET household_id = (c.before->>'householdId')::int, name_masked = c.before->>'nameMasked',
		        phone_masked = c.before->>'phoneMasked', origin = c.before->>'origin',
		        key_area = EXISTS (SELECT 1 FROM key_area k WHERE k.subdistrict_id = p.subdistrict_id AND starts_with(c.before->>'origin', k.origin)),
		        returnee = (c.before->>'returnee')::boolean, arrival_date = (c.before->>'arrivalDate')::date,
		        arrived_at = to_timestamp((c.before->>'arrivedAt')::float8 / 1000.0),
		        name_keys = CASE WHEN jsonb_typeof(c.before->'nameKeys') = 'array'
		                         THEN ARRAY(SELECT jsonb_array_elements_text(c.before->'nameKeys')) END,
		        phone_hash = c.before->>'phoneHash'
		 FROM import_change c WHERE c.batch_id = $1 AND c.table_name = 'person' AND c.before IS NOT NULL AND p.id = c.row_id`,
		[batchId]
	);
	// Undone merges that kept one of them go with them (the audit log keeps that they were).
	await tx.query(
		`DELETE FROM person_merge WHERE undone_at IS NOT NULL
		   AND kept_id IN (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person' AND before IS NULL)`,
		[batchId]
	);
	await tx.query(
		`DELETE FROM person WHERE id IN (SELECT row_id FROM import_change WHERE batch_id = $1 AND table_name = 'person' AND before IS NULL)`,
		[batchId]
	);
	return { ...used, merges };
}
