/**
 * A reinforcement plan for the subdistrict now: needs from the open gaps, staging places from the
 * map, travel by PostGIS (geography distances), then HiGHS and the greedy baseline side by side.
 */
import { shiftWindows } from '../../gaps/model/gaps';
import { slotStart } from '../../../core/time';
import {
	DEFAULT_NORMS,
	badField,
	greedyPlan,
	inBoth,
	lessRostered,
	needsFromGaps,
	parseNorms,
	PlanInputError,
	SKILL_LABELS,
	SKILLS,
	type GapForPlan,
	type Need,
	type PlannerNorms,
	type PlanOptions,
	type PlanResult,
	type Skill,
	type Unit
} from '../model/planner';
import type { Queryable } from '../../../server/db/types';
import { listGaps } from '../../gaps/server/gaps.server';
import { solvePlan } from './solve.server';
import { isPlainText } from '../../../domain/text';
import { both, words, type Bilingual, type Lang } from '../../../core/i18n';
import type { GridShare, Horizon, PlanRequest, PlanResponse } from '../contract';

/** A pool from a request body, refused with the row and field that are wrong; norms not given come from `base` (the settings). */
export function parsePlanRequest(body: unknown, base: PlannerNorms = DEFAULT_NORMS): PlanRequest {
	const bad = (field: string, reason: Bilingual): never => {
		throw new PlanInputError(badField(field, reason));
	};
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		bad('body', both('planner_expected_json_object'));
	const b = body as Record<string, unknown>;
	if (!Array.isArray(b.pool)) bad('pool', both('planner_expected_unit_list'));
	if ((b.pool as unknown[]).length > 200) bad('pool', both('planner_at_most_200_units'));
	const pool = (b.pool as unknown[]).map((raw, i) => {
		const row = `pool[${i + 1}]`;
		if (typeof raw !== 'object' || raw === null) bad(row, both('core_expected_object'));
		const r = raw as Record<string, unknown>;
		if (
			r.name !== undefined &&
			r.name !== null &&
			(typeof r.name !== 'string' || !isPlainText(r.name))
		)
			bad(`${row}.name`, both('planner_expected_plain_text'));
		// An unnamed unit is numbered in Chinese, whatever the language of the request (as it is kept).
		const name =
			typeof r.name === 'string' && r.name.trim()
				? r.name.trim().slice(0, 60).toWellFormed()
				: words('zh-CN').planner_unit_numbered({ n: i + 1 });
		if (
			typeof r.people !== 'number' ||
			!Number.isInteger(r.people) ||
			r.people < 0 ||
			r.people > 100_000
		)
			bad(`${row}.people`, both('planner_expected_people'));
		if (typeof r.staging !== 'string' || !/^(subdistrict|\d{12})$/.test(r.staging))
			bad(`${row}.staging`, both('planner_expected_staging'));
		const skills = r.skills ?? [];
		if (!Array.isArray(skills) || !skills.every((s) => (SKILLS as unknown[]).includes(s)))
			bad(
				`${row}.skills`,
				inBoth((w) => w.planner_expected_skills({ skills: SKILLS.join(w.core_list_separator()) }))
			);
		return {
			name,
			people: r.people as number,
			staging: r.staging as string,
			skills: [...new Set(skills as Skill[])]
		};
	});
	const horizon = b.horizon ?? 'day';
	if (horizon !== 'shift' && horizon !== 'day') bad('horizon', both('planner_expected_horizon'));
	const objective = b.objective ?? 'weighted';
	if (objective !== 'weighted' && objective !== 'fairest')
		bad('objective', both('planner_expected_objective'));
	const maxPerGrid = b.maxPerGrid ?? null;
	if (
		maxPerGrid !== null &&
		(typeof maxPerGrid !== 'number' || !Number.isInteger(maxPerGrid) || maxPerGrid < 1)
	)
		bad('maxPerGrid', both('planner_expected_max_per_grid'));
	const parsedNorms = parseNorms(b.norms, base);
	if ('error' in parsedNorms)
		bad(
			parsedNorms.error.field === 'norms' ? 'norms' : `norms.${parsedNorms.error.field}`,
			parsedNorms.error
		);
	const norms = (parsedNorms as { norms: PlannerNorms }).norms;
	const rawName = b.name ?? null;
	if (
		rawName !== null &&
		(typeof rawName !== 'string' || rawName.trim().length > 80 || !isPlainText(rawName))
	)
		bad('name', both('planner_expected_name'));
	const name = typeof rawName === 'string' && rawName.trim() ? rawName.trim() : null;
	return {
		name,
		pool,
		horizon: horizon as Horizon,
		options: {
			objective: objective as PlanOptions['objective'],
			maxPerGrid: maxPerGrid as number | null,
			keepUnitsTogether: b.keepUnitsTogether === true
		},
		norms
	};
}

/** Runs both allocators for the request, reading gaps under the caller's scope `tx`. */
export async function planReinforcements(
	tx: Queryable,
	subdistrictId: number,
	now: number,
	request: PlanRequest,
	lang: Lang
): Promise<PlanResponse> {
	const w = words(lang);
	const items = await listGaps(tx, { state: 'open' }, lang, now);
	const gaps: GapForPlan[] = items.map((i) => ({
		rule: i.rule,
		severity: i.severity,
		count: i.count,
		gridCode: i.gridCode,
		detail: i.detail
	}));
	const points = await tx.query<{ kind: string; code: string; lng: number; lat: number }>(
		`SELECT 'checkpoint' AS kind, code, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM checkpoint WHERE subdistrict_id = $1
		 UNION ALL SELECT 'grid', code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM grid WHERE subdistrict_id = $1
		 UNION ALL SELECT 'community', code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM community WHERE subdistrict_id = $1
		 UNION ALL SELECT 'subdistrict', 'subdistrict', ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM subdistrict WHERE id = $1`,
		[subdistrictId]
	);
	const at = (kind: string) =>
		new Map(
			points
				.filter((p) => p.kind === kind)
				.map((p) => [p.code, [Number(p.lng), Number(p.lat)] as [number, number]])
		);
	const staging = new Map([...at('community'), ...at('subdistrict')]);
	// The horizon: the shift running now and the next one, or every shift of the next 24 h.
	const windows = shiftWindows(now, 24);
	const inHorizon = new Set(
		(request.horizon === 'shift' ? windows.slice(0, 2) : windows).map((w) => `${w.day}:${w.slot}`)
	);
	const rostered = await tx.query<{
		gridCode: string;
		checkpointCode: string | null;
		duty: Skill;
		startsAt: Date | string;
		n: number;
	}>(
		'SELECT grid_code AS "gridCode", checkpoint_code AS "checkpointCode", duty, starts_at AS "startsAt", n FROM rostered_reinforcements($1, $2)',
		[subdistrictId, new Date(now).toISOString()]
	);
	const needs = lessRostered(
		needsFromGaps(
			gaps,
			{ checkpoints: at('checkpoint'), grids: at('grid') },
			request.norms,
			(day, slot) => inHorizon.has(`${day}:${slot}`)
		),
		rostered.map((r) => ({ ...r, startsAt: new Date(r.startsAt).getTime(), n: Number(r.n) })),
		now,
		(shift) => slotStart(shift.split(':')[0], Number(shift.split(':')[1]))
	);
	const units: Unit[] = request.pool.map((p, i) => {
		const point = staging.get(p.staging);
		if (!point)
			throw new PlanInputError(
				badField(`pool[${i + 1}].staging`, both('planner_no_community', { code: p.staging }))
			);
		return { id: `U${i + 1}`, name: p.name, people: p.people, skills: p.skills, staging: point };
	});
	// Travel: geography distances from each staging place to each need's place, by PostGIS.
	const places = [
		...new Map(
			[...units.map((u) => u.staging), ...needs.map((n) => n.position)].map((p) => [p.join(','), p])
		).values()
	];
	const rows = places.length
		? await tx.query<{ a: number; b: number; km: number }>(
				`WITH p AS (SELECT (ordinality - 1)::int AS i, ST_SetSRID(ST_MakePoint((v->>0)::float8, (v->>1)::float8), 4326)::geography AS g
				            FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(v, ordinality)),
				      s AS (SELECT * FROM p WHERE i = ANY (SELECT (jsonb_array_elements_text($2::text::jsonb))::int))
				 SELECT s.i AS a, p.i AS b, ST_Distance(s.g, p.g) / 1000 AS km FROM s CROSS JOIN p`,
				[
					JSON.stringify(places),
					JSON.stringify(
						units.map((u) => places.findIndex((p) => p.join(',') === u.staging.join(',')))
					)
				]
			)
		: [];
	const index = new Map(places.map((p, k) => [p.join(','), k]));
	const km = new Map(rows.map((r) => [`${r.a}:${r.b}`, Number(r.km)]));
	const distance = (u: Unit, n: Need) =>
		km.get(`${index.get(u.staging.join(','))}:${index.get(n.position.join(','))}`) ?? Infinity;
	const optimised = await solvePlan(needs, units, request.options, distance);
	const started = performance.now();
	const greedy = {
		...greedyPlan(needs, units, request.options, distance),
		ms: Math.round(performance.now() - started)
	};
	const sent = (result: PlanResult) => {
		const byNeed = new Map(needs.map((n) => [n.id, n.gridCode]));
		const out = new Map<string, number>();
		for (const a of result.assignments)
			out.set(byNeed.get(a.needId)!, (out.get(byNeed.get(a.needId)!) ?? 0) + a.people);
		return out;
	};
	const optimisedSent = sent(optimised);
	const greedySent = sent(greedy);
	const gridCommunity = new Map(
		items.filter((i) => i.gridCode).map((i) => [i.gridCode!, i.communityCode])
	);
	const grids = [...new Set(needs.map((n) => n.gridCode))].sort().map((code): GridShare => {
		const mine = needs.filter((n) => n.gridCode === code);
		const wanted = mine.reduce((s, n) => s + n.people, 0);
		const got = optimisedSent.get(code) ?? 0;
		const heaviest = Math.max(...mine.map((n) => n.weight));
		const parts = mine
			.map((n) => `${SKILL_LABELS[n.skill][lang]} ${n.people}`)
			.join(w.core_comma());
		const reason =
			got >= wanted
				? w.planner_reason_all_covered({ parts })
				: got === 0
					? w.planner_reason_none_sent({
							parts,
							why: heaviest >= 3 ? w.planner_reason_pool_ran_out() : w.planner_reason_urgent_first()
						})
					: w.planner_reason_some_sent({ parts, got, wanted });
		return {
			code,
			communityCode: gridCommunity.get(code) ?? '',
			wanted,
			optimised: got,
			greedy: greedySent.get(code) ?? 0,
			reason
		};
	});
	return { needs, units, optimised, greedy, grids };
}
