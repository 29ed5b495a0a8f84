/**
 * The gap queue on the server: runs the rules (sync_gaps, src/lib/server/db/functions) over the windows the
 * domain computes, lists items within the caller's scope, and records what people do with them.
 */
import { addressText, buildingLabel, unitLabel } from '../../capture/model/address';
import {
	DEFAULT_GAP_SETTINGS,
	gapMessage,
	gapWindows,
	parseGapSettings,
	SEVERITY_ORDER,
	type GapRuleId,
	type GapSettings,
	type Severity
} from '../model/gaps';
import { addDays, beijingDay, beijingInstant } from '../../../core/time';
import type { Db, Queryable } from '../../../server/db/types';
import type { GapDetail, GapEvent, GapItem, GapRecords } from '../contract';
import { readSetting, writeSetting } from '../../../server/settings';
import { say } from '../../../server/say';

export const GAP_SETTINGS_KEY = 'gaps';

/** The administrator's settings over the defaults (read as the connection user). */
export async function loadGapSettings(db: Queryable): Promise<GapSettings> {
	return readSetting(
		db,
		GAP_SETTINGS_KEY,
		(value) => {
			const parsed = parseGapSettings(value);
			return 'settings' in parsed ? parsed.settings : null;
		},
		DEFAULT_GAP_SETTINGS
	);
}

export async function saveGapSettings(db: Queryable, settings: GapSettings): Promise<void> {
	await writeSetting(db, GAP_SETTINGS_KEY, settings);
}

export interface SyncResult {
	opened: number;
	changed: number;
	reopened: number;
	closed: number;
}

/** Runs every rule for the subdistrict (or one grid) at `now` and brings the queue in line. */
export async function syncGaps(
	db: Queryable,
	subdistrictId: number,
	now: number,
	options: { gridId?: number | null; settings?: GapSettings } = {}
): Promise<SyncResult> {
	const settings = options.settings ?? (await loadGapSettings(db));
	const [row] = await db.query<SyncResult>(
		'SELECT opened, changed, reopened, closed FROM sync_gaps($1, $2, $3::text::jsonb)',
		[subdistrictId, options.gridId ?? null, JSON.stringify(gapWindows(now, settings))]
	);
	return row;
}

/** How long a run of the rules stays current when nothing was written (time alone moves deadlines). */
const FRESH_MS = 60_000;

/** Runs the rules when they last ran for another moment, or more than a minute ago. */
export async function ensureGapsFresh(db: Db, subdistrictId: number, now: number): Promise<void> {
	const [last] = await db.query<{ syncedAt: Date | string; asOf: Date | string }>(
		'SELECT synced_at AS "syncedAt", as_of AS "asOf" FROM gap_sync WHERE subdistrict_id = $1',
		[subdistrictId]
	);
	if (
		last &&
		Math.abs(new Date(last.asOf).getTime() - now) < FRESH_MS &&
		Date.now() - new Date(last.syncedAt).getTime() < 5 * FRESH_MS
	)
		return;
	await db.transaction((tx) => syncGaps(tx, subdistrictId, now));
}

/** Open gaps per grid code and community code at a moment (the end of a past day, or now). */
export async function openGapCounts(
	db: Queryable,
	subdistrictId: number,
	at: number
): Promise<{ grids: Map<string, number>; communities: Map<string, number>; total: number }> {
	const rows = await db.query<{ grid: string | null; community: string; open: number }>(
		`SELECT g.code AS grid, c.code AS community, x.open
		 FROM open_gap_counts($1, to_timestamp($2 / 1000.0)) x JOIN community c ON c.id = x.community_id LEFT JOIN grid g ON g.id = x.grid_id`,
		[subdistrictId, at]
	);
	const grids = new Map<string, number>();
	const communities = new Map<string, number>();
	let total = 0;
	for (const row of rows) {
		if (row.grid) grids.set(row.grid, (grids.get(row.grid) ?? 0) + row.open);
		communities.set(row.community, (communities.get(row.community) ?? 0) + row.open);
		total += row.open;
	}
	return { grids, communities, total };
}

/** The moment a day's figures stand for: its end, or now when it is today. */
export function momentOfDay(day: string, now: number): number {
	return beijingDay(now) === day ? now : Math.min(now, beijingInstant(addDays(day, 1)) - 1);
}

const ITEM_COLUMNS = `
	i.id, i.rule, i.severity, i.status, i.count, i.detail, i.subject_key AS "subjectKey",
	g.code AS "gridCode", c.code AS "communityCode", c.name AS "communityName",
	i.opened_at AS "openedAt", i.updated_at AS "updatedAt", i.closed_at AS "closedAt",
	i.acknowledged_at AS "acknowledgedAt", ua.display_name AS "acknowledgedBy",
	i.assigned_staff_id AS "assignedStaffId", st.name_masked || '（' || st.code || '）' AS "assignedStaff", i.assigned_at AS "assignedAt",
	i.resolved_at AS "resolvedAt", ur.display_name AS "resolvedBy", i.resolution_note AS "resolutionNote"`;
const ITEM_FROM = `
	gap_item i JOIN community c ON c.id = i.community_id LEFT JOIN grid g ON g.id = i.grid_id
	LEFT JOIN app_user ua ON ua.id = i.acknowledged_by LEFT JOIN app_user ur ON ur.id = i.resolved_by
	LEFT JOIN staff st ON st.id = i.assigned_staff_id`;

type ItemRow = Omit<
	GapItem,
	'message' | 'openedAt' | 'updatedAt' | 'closedAt' | 'acknowledgedAt' | 'assignedAt' | 'resolvedAt'
> &
	Record<
		'openedAt' | 'updatedAt' | 'closedAt' | 'acknowledgedAt' | 'assignedAt' | 'resolvedAt',
		Date | string | null
	>;

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Without person-level access, an item or event keeps its counts but not the households, people or staff behind
 * them: the lists of subjects, and the assigned staff member (an event's detail names them as assignedStaff does).
 */
function withoutSubjects(detail: Record<string, unknown>): Record<string, unknown> {
	const {
		persons: _persons,
		households: _households,
		staff: _staff,
		staffId: _staffId,
		...rest
	} = detail;
	return rest;
}

function toItem(row: ItemRow, lang: 'zh-CN' | 'en', now: number, subjects = true): GapItem {
	const item = {
		...row,
		detail: subjects ? row.detail : withoutSubjects(row.detail),
		// Free text written by grid workers may name people: only roles with person-level access read it.
		resolutionNote: subjects ? row.resolutionNote : null,
		assignedStaffId: subjects ? row.assignedStaffId : null,
		assignedStaff: subjects ? row.assignedStaff : null,
		openedAt: isoOrNull(row.openedAt)!,
		updatedAt: isoOrNull(row.updatedAt)!,
		closedAt: isoOrNull(row.closedAt),
		acknowledgedAt: isoOrNull(row.acknowledgedAt),
		assignedAt: isoOrNull(row.assignedAt),
		resolvedAt: isoOrNull(row.resolvedAt)
	};
	return { ...item, message: gapMessage(item, lang, now) };
}

export interface GapFilter {
	gridCode?: string | null;
	communityCode?: string | null;
	/** open (default): live and not resolved; live: also resolved ones still present; closed: history. */
	state?: 'open' | 'live' | 'closed';
	limit?: number;
	/** Include the households and people behind each item (roles with person-level access only). */
	subjects?: boolean;
}

/** Items in the caller's scope (row-level security decides), most severe first. */
export async function listGaps(
	tx: Queryable,
	filter: GapFilter,
	lang: 'zh-CN' | 'en',
	now: number
): Promise<GapItem[]> {
	const state = filter.state ?? 'open';
	const rows = await tx.query<ItemRow>(
		`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM}
		 WHERE ($1::text IS NULL OR g.code = $1)
		   AND ($2::text IS NULL OR c.code = $2)
		   AND CASE $3 WHEN 'open' THEN i.closed_at IS NULL AND i.status <> 'resolved'
		               WHEN 'live' THEN i.closed_at IS NULL
		               ELSE i.closed_at IS NOT NULL END
		 ORDER BY CASE i.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END,
		          CASE i.status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, i.opened_at, i.id
		 LIMIT $4`,
		[filter.gridCode ?? null, filter.communityCode ?? null, state, filter.limit ?? 1000]
	);
	return rows.map((row) => toItem(row, lang, now, filter.subjects ?? false));
}

export async function getGap(
	tx: Queryable,
	id: number,
	lang: 'zh-CN' | 'en',
	now: number,
	subjects = false
): Promise<GapDetail | null> {
	const [row] = await tx.query<ItemRow>(
		`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE i.id = $1`,
		[id]
	);
	if (!row) return null;
	const events = await tx.query<GapEvent & { at: Date | string }>(
		`SELECT e.at, e.action, u.display_name AS actor, e.note, e.detail
		 FROM gap_event e LEFT JOIN app_user u ON u.id = e.actor_user_id
		 WHERE e.gap_id = $1 ORDER BY e.at, e.id`,
		[id]
	);
	return {
		...toItem(row, lang, now, subjects),
		events: events.map((e) => ({
			...e,
			at: new Date(e.at).toISOString(),
			note: subjects ? e.note : null,
			detail: subjects ? e.detail : withoutSubjects(e.detail)
		}))
	};
}

export type GapAction =
	| { action: 'acknowledge' }
	| { action: 'assign'; staffId: number }
	| { action: 'resolve'; note: string }
	| { action: 'reopen'; note: string | null };

/** A refused action; its message is in the request's language. A refused field is a 400. */
export class GapActionError extends Error {
	constructor(
		readonly status: 400 | 404 | 409,
		readonly field: string | null,
		message: string
	) {
		super(message);
	}
}

/**
 * Records one action on an item in the caller's scope: status, who and when on the item, and an
 * event in its history. Refused (with the reason) when the item is closed or the action does not
 * fit its state; an item outside the scope is not found. The item's row is locked first, so two
 * people acting at once are taken one after the other: the second sees the first's outcome.
 */
export async function actOnGap(
	tx: Queryable,
	id: number,
	act: GapAction,
	userId: number,
	now: number
): Promise<{ status: string; rule: GapRuleId; gridCode: string | null }> {
	const [item] = await tx.query<{
		id: number;
		status: string;
		closedAt: unknown;
		count: number;
		rule: GapRuleId;
		gridId: number | null;
		gridCode: string | null;
		subdistrictId: number;
		communityId: number;
	}>(
		`SELECT i.id, i.status, i.closed_at AS "closedAt", i.count, i.rule, i.grid_id AS "gridId", g.code AS "gridCode",
		        i.subdistrict_id AS "subdistrictId", i.community_id AS "communityId"
		 FROM gap_item i LEFT JOIN grid g ON g.id = i.grid_id WHERE i.id = $1 FOR UPDATE OF i`,
		[id]
	);
	if (!item) throw new GapActionError(404, null, say().gaps_item_not_found({ id }));
	if (item.closedAt !== null) throw new GapActionError(409, null, say().gaps_item_closed());
	const at = `to_timestamp(${Number(now)} / 1000.0)`;
	let note: string | null = null;
	let detail: Record<string, unknown> = {};
	let status = item.status;
	if (act.action === 'acknowledge') {
		if (item.status !== 'open')
			throw new GapActionError(409, null, say().gaps_only_open_acknowledged());
		status = 'acknowledged';
		await tx.query(
			`UPDATE gap_item SET status = 'acknowledged', acknowledged_at = ${at}, acknowledged_by = $2, updated_at = ${at} WHERE id = $1`,
			[id, userId]
		);
	} else if (act.action === 'assign') {
		if (item.status === 'resolved')
			throw new GapActionError(409, null, say().gaps_resolved_not_assignable());
		// Row-level security: only staff in the caller's scope are visible.
		const [person] = await tx.query<{ id: number; gridId: number | null; name: string }>(
			`SELECT id, grid_id AS "gridId", name_masked || '（' || code || '）' AS name FROM staff WHERE id = $1`,
			[act.staffId]
		);
		if (!person)
			throw new GapActionError(400, 'staffId', say().gaps_staff_not_found({ id: act.staffId }));
		status = item.status === 'open' ? 'acknowledged' : item.status;
		await tx.query(
			`UPDATE gap_item SET status = $3, assigned_staff_id = $2, assigned_at = ${at}, assigned_by = $4, updated_at = ${at},
			        acknowledged_at = coalesce(acknowledged_at, ${at}), acknowledged_by = coalesce(acknowledged_by, $4)
			 WHERE id = $1`,
			[id, act.staffId, status, userId]
		);
		detail = { staffId: person.id, staff: person.name };
	} else if (act.action === 'resolve') {
		if (item.status === 'resolved')
			throw new GapActionError(409, null, say().gaps_already_resolved());
		status = 'resolved';
		note = act.note;
		await tx.query(
			`UPDATE gap_item SET status = 'resolved', resolved_at = ${at}, resolved_by = $2, resolution_note = $3, resolved_count = count, updated_at = ${at} WHERE id = $1`,
			[id, userId, act.note]
		);
		detail = { count: item.count };
	} else {
		if (item.status !== 'resolved')
			throw new GapActionError(409, null, say().gaps_only_resolved_reopened());
		status = 'open';
		note = act.note;
		await tx.query(
			`UPDATE gap_item SET status = 'open', resolved_at = NULL, resolved_by = NULL, resolution_note = NULL, resolved_count = NULL, updated_at = ${at} WHERE id = $1`,
			[id]
		);
	}
	const action =
		act.action === 'acknowledge'
			? 'acknowledged'
			: act.action === 'assign'
				? 'assigned'
				: act.action === 'resolve'
					? 'resolved'
					: 'reopened';
	await tx.query(
		`INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, actor_user_id, action, note, detail)
		 VALUES ($1, $2, $3, $4, ${at}, $5, $6, $7, $8::text::jsonb)`,
		[
			id,
			item.subdistrictId,
			item.communityId,
			item.gridId,
			userId,
			action,
			note,
			JSON.stringify(detail)
		]
	);
	return { status, rule: item.rule, gridCode: item.gridCode };
}

/** Items per severity and rule, for roll-ups (grid, community, subdistrict). */
export function rollUp(items: GapItem[]): {
	total: number;
	bySeverity: Record<Severity, number>;
	byRule: Record<string, number>;
} {
	const bySeverity = { high: 0, medium: 0, low: 0, info: 0 } as Record<Severity, number>;
	const byRule: Record<string, number> = {};
	let total = 0;
	for (const item of items) {
		bySeverity[item.severity]++;
		if (item.severity === 'info' || item.status === 'resolved' || item.closedAt) continue;
		byRule[item.rule] = (byRule[item.rule] ?? 0) + 1;
		total++;
	}
	return { total, bySeverity, byRule };
}

export { SEVERITY_ORDER };

/**
 * Open gaps for the figures of one day: at its end, or now when it is today (running the rules
 * first if they are not current).
 */
export async function gapCountsForDay(db: Db, subdistrictId: number, day: string, now: number) {
	const at = momentOfDay(day, now);
	if (at === now) await ensureGapsFresh(db, subdistrictId, now);
	// Counts follow from the append-only event history alone: while no event is added they stay as
	// they are, so they are kept per (subdistrict, moment, newest event). "Now" is one moment: the
	// queue as it stands.
	const [{ version }] = await db.query<{ version: string | number }>(
		'SELECT gap_events_version($1) AS version',
		[subdistrictId]
	);
	const key = `${subdistrictId}|${at === now ? 'now' : at}|${version}`;
	let counts = countsCache.get(key);
	if (!counts) {
		counts = openGapCounts(db, subdistrictId, at);
		countsCache.set(key, counts);
		counts.catch(() => countsCache.delete(key));
		while (countsCache.size > 64) countsCache.delete(countsCache.keys().next().value!);
	}
	return counts;
}
const countsCache = new Map<string, ReturnType<typeof openGapCounts>>();

/** The records an item stands for, read under the caller's scope (row-level security applies). */
export async function gapRecords(tx: Queryable, item: GapItem): Promise<GapRecords> {
	const detail = item.detail as { persons?: number[]; households?: string[] };
	const persons = detail.persons?.length
		? (
				await tx.query<
					Omit<GapRecords['persons'][number], 'address'> & {
						compound: string | null;
						buildingNumber: number | null;
						buildingCode: string | null;
						unit: number | null;
						room: string | null;
					}
				>(
					`SELECT p.id, p.name_masked AS "nameMasked", p.phone_masked AS "phoneMasked", h.code AS "householdCode",
					        p.arrival_date::text AS "arrivalDate", p.origin, c.name AS compound, b.number AS "buildingNumber",
					        b.code AS "buildingCode", h.unit, h.room
					 FROM person p JOIN household h ON h.id = p.household_id
					 LEFT JOIN building b ON b.id = h.building_id LEFT JOIN compound c ON c.id = b.compound_id
					 WHERE p.id IN (SELECT (jsonb_array_elements_text($1::text::jsonb))::int) ORDER BY p.arrival_date, p.id`,
					[JSON.stringify(detail.persons.map((n) => Math.trunc(Number(n))))]
				)
			).map(({ compound, buildingNumber, buildingCode, unit, room, ...p }) => ({
				...p,
				address:
					room === null
						? p.householdCode
						: addressText({
								compound,
								building: buildingLabel(buildingNumber, compound !== null, buildingCode ?? ''),
								unit: unitLabel(unit),
								room
							})
			}))
		: [];
	const households = detail.households?.length
		? await tx.query<GapRecords['households'][number]>(
				`SELECT h.code, h.members, b.code AS building, c.name AS compound, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, NULL::text AS due
				 FROM household h LEFT JOIN building b ON b.id = h.building_id LEFT JOIN compound c ON c.id = b.compound_id
				 WHERE h.code IN (SELECT jsonb_array_elements_text($1::text::jsonb)) ORDER BY h.code`,
				[JSON.stringify(detail.households.map(String))]
			)
		: [];
	return {
		persons,
		households: households.map((h) => ({ ...h, lng: Number(h.lng), lat: Number(h.lat) }))
	};
}
