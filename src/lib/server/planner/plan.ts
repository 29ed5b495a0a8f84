/**
 * A reinforcement plan for the subdistrict now: needs from the open gaps, staging places from the
 * map, travel by PostGIS (geography distances), then HiGHS and the greedy baseline side by side.
 */
import { shiftWindows } from '../../domain/gaps';
import { slotStart } from '../../core/time';
import {
	DEFAULT_NORMS,
	greedyPlan,
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
} from '../../domain/planner';
import type { Queryable } from '../db/types';
import { listGaps } from '../gaps';
import { solvePlan } from './solve';
import { isPlainText } from '../../domain/text';
import type {
	GridShare,
	Horizon,
	PlanRequest,
	PlanResponse
} from '../../features/planner/contract';

/** A pool from a request body, refused with the row and field that are wrong; norms not given come from `base` (the settings). */
export function parsePlanRequest(body: unknown, base: PlannerNorms = DEFAULT_NORMS): PlanRequest {
	const bad = (field: string, zh: string, en: string): never => {
		throw new PlanInputError(`字段 ${field} 无效：${zh}`, `Invalid field ${field}: ${en}`);
	};
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		bad('body', '应为 JSON 对象', 'expected a JSON object');
	const b = body as Record<string, unknown>;
	if (!Array.isArray(b.pool)) bad('pool', '应为队伍列表', 'expected a list of units');
	if ((b.pool as unknown[]).length > 200)
		bad(
			'pool',
			'最多 200 支队伍（可合并同一集结点的队伍）',
			'at most 200 units (merge units from the same staging place)'
		);
	const pool = (b.pool as unknown[]).map((raw, i) => {
		const row = `pool[${i + 1}]`;
		if (typeof raw !== 'object' || raw === null) bad(row, '应为对象', 'expected an object');
		const r = raw as Record<string, unknown>;
		if (
			r.name !== undefined &&
			r.name !== null &&
			(typeof r.name !== 'string' || !isPlainText(r.name))
		)
			bad(`${row}.name`, '应为文字，不含控制字符', 'expected text without control characters');
		const name =
			typeof r.name === 'string' && r.name.trim()
				? r.name.trim().slice(0, 60).toWellFormed()
				: `队伍 ${i + 1}`;
		if (
			typeof r.people !== 'number' ||
			!Number.isInteger(r.people) ||
			r.people < 0 ||
			r.people > 100_000
		)
			bad(`${row}.people`, '应为 0–100000 的整数', 'expected a whole number from 0 to 100000');
		if (typeof r.staging !== 'string' || !/^(subdistrict|\d{12})$/.test(r.staging))
			bad(
				`${row}.staging`,
				'应为社区编码（12 位）或 subdistrict',
				'expected a 12-digit community code or subdistrict'
			);
		const skills = r.skills ?? [];
		if (!Array.isArray(skills) || !skills.every((s) => (SKILLS as unknown[]).includes(s)))
			bad(
				`${row}.skills`,
				`应为 ${SKILLS.join('、')} 组成的列表`,
				`expected a list of ${SKILLS.join(', ')}`
			);
		return {
			name,
			people: r.people as number,
			staging: r.staging as string,
			skills: [...new Set(skills as Skill[])]
		};
	});
	const horizon = b.horizon ?? 'day';
	if (horizon !== 'shift' && horizon !== 'day')
		bad(
			'horizon',
			'应为 shift（当前及下一班）或 day（未来 24 小时）',
			'expected shift (this and the next shift) or day (the next 24 h)'
		);
	const objective = b.objective ?? 'weighted';
	if (objective !== 'weighted' && objective !== 'fairest')
		bad('objective', '应为 weighted 或 fairest', 'expected weighted or fairest');
	const maxPerGrid = b.maxPerGrid ?? null;
	if (
		maxPerGrid !== null &&
		(typeof maxPerGrid !== 'number' || !Number.isInteger(maxPerGrid) || maxPerGrid < 1)
	)
		bad('maxPerGrid', '应为正整数或留空', 'expected a whole number ≥ 1, or nothing');
	const parsedNorms = parseNorms(b.norms, base);
	if ('error' in parsedNorms)
		bad(
			parsedNorms.error.field === 'norms' ? 'norms' : `norms.${parsedNorms.error.field}`,
			parsedNorms.error['zh-CN'],
			parsedNorms.error.en
		);
	const norms = (parsedNorms as { norms: PlannerNorms }).norms;
	const rawName = b.name ?? null;
	if (
		rawName !== null &&
		(typeof rawName !== 'string' || rawName.trim().length > 80 || !isPlainText(rawName))
	)
		bad(
			'name',
			'应为不超过 80 字的文字，不含控制字符',
			'expected text of at most 80 characters, no control characters'
		);
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
	lang: 'zh-CN' | 'en'
): Promise<PlanResponse> {
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
				`字段 pool[${i + 1}].staging 无效：没有社区 ${p.staging}`,
				`Invalid field pool[${i + 1}].staging: no community ${p.staging}`
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
		const en = lang === 'en';
		const parts = mine.map((n) => `${SKILL_LABELS[n.skill][lang]} ${n.people}`);
		const reason =
			got >= wanted
				? en
					? `needs ${parts.join(', ')}: all covered`
					: `需要 ${parts.join('，')}：全部满足`
				: got === 0
					? en
						? `needs ${parts.join(', ')}: none sent — ${heaviest >= 3 ? 'the pool ran out or has no one who can do this work nearby' : 'more urgent needs came first'}`
						: `需要 ${parts.join('，')}：未派人——${heaviest >= 3 ? '人员池不足或附近无胜任人员' : '优先满足更紧急的缺口'}`
					: en
						? `needs ${parts.join(', ')}: ${got} of ${wanted} sent; the rest went to more urgent needs or the pool ran out`
						: `需要 ${parts.join('，')}：派 ${got} 人（共需 ${wanted}），其余让位于更紧急的缺口或人员不足`;
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
