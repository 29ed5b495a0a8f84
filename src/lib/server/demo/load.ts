import type { Db, Queryable } from '../db/types';
import { enterScope } from '../db/scope';
import { hashIdNumber } from '../secret';
import { DEMO_FIRST_DAY, DEMO_LAST_DAY, generateDemo, type DemoData } from './generate';
import { syncGaps } from '../../features/gaps/server/gaps.server';
import { DEFAULT_GAP_SETTINGS } from '../../features/gaps/model/gaps';
import { addDays } from '../../core/time';
import { KEY_AREA_ORIGINS } from './names';

/** Screening began on 25 Jan 2020 (article): the gap rules run from then. */
const GAPS_FROM = '2020-01-25';

const CHUNK_ROWS = 20_000;

/** Inserts rows through one jsonb parameter per chunk: one statement shape, both backends. */
async function insertRows<T>(
	tx: Queryable,
	rows: T[],
	toRecord: (row: T) => Record<string, unknown>,
	sql: string,
	subdistrictId: number
) {
	for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
		const chunk = rows.slice(i, i + CHUNK_ROWS).map(toRecord);
		await tx.query(sql, [JSON.stringify(chunk), subdistrictId]);
	}
}

const polygon = (ring: [number, number][]) =>
	JSON.stringify({ type: 'Polygon', coordinates: [[...ring, ring[0]]] });

export interface LoadResult {
	subdistrictId: number;
	gridDays: number;
	durationMs: number;
}

/**
 * Loads the demo into an empty database (or one without this subdistrict), in one
 * transaction: either all of it is there afterwards or none of it.
 */
export async function loadDemo(
	db: Db,
	secret: Buffer,
	data: DemoData = generateDemo()
): Promise<LoadResult> {
	const started = Date.now();
	// ID numbers never reach the database: only their keyed hash (HMAC-SHA256 under the server secret).
	const idHash = (idNumber: string) => hashIdNumber(secret, idNumber);
	return db.transaction(async (tx) => {
		const existing = await tx.query('SELECT id FROM subdistrict WHERE code = $1', [
			data.subdistrict.code
		]);
		if (existing.length > 0)
			throw new Error(
				`Subdistrict ${data.subdistrict.code} (${data.subdistrict.name}) is already loaded.`
			);
		const [{ id }] = await tx.query<{ id: number }>(
			`INSERT INTO subdistrict (code, name, name_en, geom)
			 VALUES ($1, $2, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))) RETURNING id`,
			[
				data.subdistrict.code,
				data.subdistrict.name,
				data.subdistrict.nameEn,
				polygon(data.subdistrict.ring)
			]
		);

		// The key areas of early 2020 (an admin maintains the list in a deployment).
		await tx.query('INSERT INTO key_area (subdistrict_id, origin) SELECT $1, unnest($2::text[])', [
			id,
			`{${KEY_AREA_ORIGINS.join(',')}}`
		]);

		// Person-level tables enforce row-level security even for their owner: load with a system scope.
		const leaveScope = await enterScope(tx, { subdistrictId: id, personScope: 'all', gridIds: [] });

		await insertRows(
			tx,
			data.communities,
			(c) => ({ code: c.code, name: c.name, name_en: c.nameEn, geom: polygon(c.ring) }),
			`INSERT INTO community (subdistrict_id, code, name, name_en, geom)
			 SELECT $2, x.code, x.name, x.name_en, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(x.geom), 4326))
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, name_en text, geom text)`,
			id
		);

		await insertRows(
			tx,
			data.grids,
			(g) => ({
				code: g.code,
				name: g.name,
				community_code: g.communityCode,
				geom: polygon(g.ring)
			}),
			`INSERT INTO grid (subdistrict_id, community_id, code, name, geom)
			 SELECT $2, c.id, x.code, x.name, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(x.geom), 4326))
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, community_code text, geom text)
			 JOIN community c ON c.subdistrict_id = $2 AND c.code = x.community_code`,
			id
		);

		await insertRows(
			tx,
			data.compounds,
			(c) => ({
				code: c.code,
				name: c.name,
				community_code: c.communityCode,
				geom: polygon(c.ring)
			}),
			`INSERT INTO compound (subdistrict_id, community_id, code, name, geom)
			 SELECT $2, c.id, x.code, x.name, ST_SetSRID(ST_GeomFromGeoJSON(x.geom), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, community_code text, geom text)
			 JOIN community c ON c.subdistrict_id = $2 AND c.code = x.community_code`,
			id
		);

		await insertRows(
			tx,
			data.buildings,
			(b) => ({
				code: b.code,
				compound_code: b.compoundCode,
				number: b.number,
				floors: b.floors,
				lng: b.position[0],
				lat: b.position[1]
			}),
			`INSERT INTO building (subdistrict_id, compound_id, code, number, floors, geom)
			 SELECT $2, cp.id, x.code, x.number, x.floors, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, compound_code text, number int, floors int, lng float8, lat float8)
			 LEFT JOIN compound cp ON cp.subdistrict_id = $2 AND cp.code = x.compound_code`,
			id
		);

		await insertRows(
			tx,
			data.households,
			(h) => ({
				code: h.code,
				building_code: h.buildingCode,
				unit: h.unit,
				room: h.room,
				members: h.members,
				lng: h.position[0],
				lat: h.position[1]
			}),
			`INSERT INTO household (subdistrict_id, building_id, code, unit, room, members, geom)
			 SELECT $2, b.id, x.code, x.unit, x.room, x.members, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, building_code text, unit int, room text, members int, lng float8, lat float8)
			 JOIN building b ON b.subdistrict_id = $2 AND b.code = x.building_code`,
			id
		);

		await insertRows(
			tx,
			data.persons,
			(p) => ({
				id_hash: idHash(p.idNumber),
				household_code: p.householdCode,
				name_masked: p.nameMasked,
				phone_masked: p.phoneMasked,
				origin: p.origin,
				key_area: p.keyArea,
				returnee: p.returnee,
				arrival_date: p.arrivalDate
			}),
			`INSERT INTO person (subdistrict_id, household_id, id_hash, name_masked, phone_masked, origin, key_area, returnee, arrival_date)
			 SELECT $2, h.id, x.id_hash, x.name_masked, x.phone_masked, x.origin, x.key_area, x.returnee, x.arrival_date
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(id_hash text, household_code text, name_masked text, phone_masked text,
			      origin text, key_area boolean, returnee boolean, arrival_date date)
			 JOIN household h ON h.subdistrict_id = $2 AND h.code = x.household_code`,
			id
		);

		await insertRows(
			tx,
			data.staff,
			(s) => ({
				code: s.code,
				community_code: s.communityCode,
				grid_code: s.gridCode,
				kind: s.kind,
				name_masked: s.nameMasked,
				phone_masked: s.phoneMasked
			}),
			`INSERT INTO staff (subdistrict_id, community_id, grid_id, code, kind, name_masked, phone_masked)
			 SELECT $2, c.id, g.id, x.code, x.kind, x.name_masked, x.phone_masked
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, community_code text, grid_code text, kind text, name_masked text, phone_masked text)
			 JOIN community c ON c.subdistrict_id = $2 AND c.code = x.community_code
			 JOIN grid g ON g.subdistrict_id = $2 AND g.code = x.grid_code`,
			id
		);

		await insertRows(
			tx,
			data.screenings,
			(s) => ({
				person: idHash(s.personIdNumber),
				staff: s.staffCode,
				at: s.screenedAt,
				method: s.method,
				result: s.result
			}),
			`INSERT INTO screening (subdistrict_id, person_id, staff_id, screened_at, method, result)
			 SELECT $2, p.id, s.id, x.at, x.method, x.result
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(person text, staff text, at timestamptz, method text, result text)
			 JOIN person p ON p.subdistrict_id = $2 AND p.id_hash = x.person
			 JOIN staff s ON s.subdistrict_id = $2 AND s.code = x.staff`,
			id
		);

		await insertRows(
			tx,
			data.observations,
			(o) => ({
				household: o.householdCode,
				person: idHash(o.personIdNumber),
				start_date: o.startDate,
				end_date: o.endDate,
				status: o.status
			}),
			`INSERT INTO observation (subdistrict_id, household_id, person_id, start_date, end_date, status)
			 SELECT $2, h.id, p.id, x.start_date, x.end_date, x.status
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(household text, person text, start_date date, end_date date, status text)
			 JOIN household h ON h.subdistrict_id = $2 AND h.code = x.household
			 JOIN person p ON p.subdistrict_id = $2 AND p.id_hash = x.person`,
			id
		);

		await insertRows(
			tx,
			data.serviceTasks,
			(t) => ({ household: t.householdCode, kind: t.kind, due_at: t.dueAt, done_at: t.doneAt }),
			`INSERT INTO service_task (subdistrict_id, household_id, kind, due_at, done_at)
			 SELECT $2, h.id, x.kind, x.due_at, x.done_at
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(household text, kind text, due_at timestamptz, done_at timestamptz)
			 JOIN household h ON h.subdistrict_id = $2 AND h.code = x.household`,
			id
		);

		await insertRows(
			tx,
			data.checkpoints,
			(c) => ({
				code: c.code,
				name: c.name,
				kind: c.kind,
				compound_code: c.compoundCode,
				required_staff: c.requiredStaff,
				hours_per_day: c.hoursPerDay,
				opens_on: c.opensOn,
				lng: c.position[0],
				lat: c.position[1]
			}),
			`INSERT INTO checkpoint (subdistrict_id, compound_id, code, name, kind, required_staff, hours_per_day, opens_on, geom)
			 SELECT $2, cp.id, x.code, x.name, x.kind, x.required_staff, x.hours_per_day, x.opens_on, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, kind text, compound_code text, required_staff int,
			      hours_per_day int, opens_on date, lng float8, lat float8)
			 LEFT JOIN compound cp ON cp.subdistrict_id = $2 AND cp.code = x.compound_code`,
			id
		);

		await insertRows(
			tx,
			data.shifts,
			(s) => ({
				checkpoint: s.checkpointCode,
				staff: s.staffCode,
				starts_at: s.startsAt,
				ends_at: s.endsAt,
				checked_in: s.checkedIn
			}),
			`INSERT INTO shift (subdistrict_id, checkpoint_id, staff_id, starts_at, ends_at, checked_in)
			 SELECT $2, c.id, s.id, x.starts_at, x.ends_at, x.checked_in
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(checkpoint text, staff text, starts_at timestamptz, ends_at timestamptz, checked_in boolean)
			 JOIN checkpoint c ON c.subdistrict_id = $2 AND c.code = x.checkpoint
			 JOIN staff s ON s.subdistrict_id = $2 AND s.code = x.staff`,
			id
		);

		await insertRows(
			tx,
			data.enterprises,
			(e) => ({
				code: e.code,
				name: e.name,
				staff_total: e.staffTotal,
				staff_arrived: e.staffArrived,
				resumed_on: e.resumedOn,
				lng: e.position[0],
				lat: e.position[1]
			}),
			`INSERT INTO enterprise (subdistrict_id, code, name, staff_total, staff_arrived, resumed_on, geom)
			 SELECT $2, x.code, x.name, x.staff_total, x.staff_arrived, x.resumed_on, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, staff_total int, staff_arrived int, resumed_on date, lng float8, lat float8)`,
			id
		);

		await insertRows(
			tx,
			data.projects,
			(p) => ({
				code: p.code,
				name: p.name,
				staff_expected: p.staffExpected,
				staff_arrived: p.staffArrived,
				progress_pct: p.progressPct,
				resumed_on: p.resumedOn,
				lng: p.position[0],
				lat: p.position[1]
			}),
			`INSERT INTO project (subdistrict_id, code, name, staff_expected, staff_arrived, progress_pct, resumed_on, geom)
			 SELECT $2, x.code, x.name, x.staff_expected, x.staff_arrived, x.progress_pct, x.resumed_on, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, staff_expected int, staff_arrived int, progress_pct numeric,
			      resumed_on date, lng float8, lat float8)`,
			id
		);

		await insertRows(
			tx,
			data.dailyReports,
			(r) => ({
				community: r.communityCode,
				report_date: r.reportDate,
				reported_at: r.reportedAt,
				observed_households: r.observedHouseholds,
				observed_persons: r.observedPersons,
				screened_today: r.screenedToday
			}),
			`INSERT INTO daily_report (subdistrict_id, community_id, report_date, reported_at, observed_households, observed_persons, screened_today)
			 SELECT $2, c.id, x.report_date, x.reported_at, x.observed_households, x.observed_persons, x.screened_today
			 FROM jsonb_to_recordset($1::text::jsonb) AS x(community text, report_date date, reported_at timestamptz,
			      observed_households int, observed_persons int, screened_today int)
			 JOIN community c ON c.subdistrict_id = $2 AND c.code = x.community`,
			id
		);

		const [{ rows }] = await tx.query<{ rows: number }>(
			'SELECT refresh_grid_day($1, $2, $3) AS rows',
			[id, DEMO_FIRST_DAY, DEMO_LAST_DAY]
		);
		// The gap queue's history: the rules as they ran each evening from the start of screening, so
		// items open and close over the period as the data says (nobody acted on them in the demo).
		for (let day = GAPS_FROM; day <= DEMO_LAST_DAY; day = addDays(day, 1)) {
			await syncGaps(tx, id, Date.parse(`${day}T23:55:00+08:00`), {
				settings: DEFAULT_GAP_SETTINGS
			});
		}
		await leaveScope();
		return { subdistrictId: id, gridDays: rows, durationMs: Date.now() - started };
	});
}
