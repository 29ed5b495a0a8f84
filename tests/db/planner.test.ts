import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Db, Queryable } from '../../src/lib/server/db/types';
import { enterScope, withScope } from '../../src/lib/server/db/scope';
import { syncGaps } from '../../src/lib/features/gaps/server/gaps.server';
import {
	parsePlanRequest,
	planReinforcements
} from '../../src/lib/features/planner/server/plan.server';
import { haversineKm, PlanInputError } from '../../src/lib/features/planner/model/planner';
import { DEFAULT_GAP_SETTINGS } from '../../src/lib/features/gaps/model/gaps';
import {
	applyScenario,
	deleteScenario,
	getScenario,
	lastApplication,
	listScenarios,
	saveScenario,
	ScenarioError
} from '../../src/lib/features/planner/server/scenarios.server';
import type { Scenario } from '../../src/lib/features/planner/contract';
import {
	loadPlaceNames,
	scenarioCsv,
	scenarioXlsx
} from '../../src/lib/features/planner/server/export.server';
import { inRolledBackTransaction, testDb } from './database';

const NOW = Date.parse('2020-02-28T23:55:00+08:00');

/** Both groups read the seeded demo with the gap queue brought up to the demo's clock. */
let db: Db;
let subdistrictId: number;
beforeAll(async () => {
	db = await testDb();
	[{ id: subdistrictId }] = await db.query<{ id: number }>(
		`SELECT id FROM subdistrict WHERE code = '330114002'`
	);
	await db.transaction((tx) => syncGaps(tx, subdistrictId, NOW));
});

describe('reinforcement plan from the open gaps', () => {
	const asPlanner = <T>(work: Parameters<typeof withScope<T>>[2]) =>
		withScope(db, { subdistrictId, personScope: 'none', gridIds: [] }, work);

	it('derives needs from the gaps, travels by PostGIS distances, and does at least as well as greedy', async () => {
		const request = parsePlanRequest({
			pool: [
				{ name: '街道机关', people: 30, staging: 'subdistrict', skills: [] },
				{ name: '大北志愿者', people: 12, staging: '330114002002', skills: ['gate'] }
			],
			horizon: 'day'
		});
		const plan = await asPlanner((tx) =>
			planReinforcements(tx, subdistrictId, NOW, request, 'zh-CN')
		);
		expect(plan.needs.length).toBeGreaterThan(5);
		expect(plan.needs.some((n) => n.skill === 'gate')).toBe(true);
		expect(plan.needs.some((n) => n.skill === 'screening')).toBe(true);
		// 42 people: everyone placed when the need is larger, unless skills or places forbid.
		const wanted = plan.needs.reduce((s, n) => s + n.people, 0);
		const placed = plan.optimised.assignments.reduce((s, a) => s + a.people, 0);
		expect(placed).toBe(wanted - plan.optimised.unmetPeople);
		expect(placed).toBeLessThanOrEqual(42);
		expect(plan.optimised.weightedUnmet).toBeLessThanOrEqual(plan.greedy.weightedUnmet);
		if (plan.optimised.weightedUnmet === plan.greedy.weightedUnmet)
			expect(plan.optimised.km).toBeLessThanOrEqual(plan.greedy.km + 1e-6);
		// Travel is the geography distance: within half a percent of the great-circle distance.
		for (const a of plan.optimised.assignments.slice(0, 10)) {
			const unit = plan.units.find((u) => u.id === a.unitId)!;
			const need = plan.needs.find((n) => n.id === a.needId)!;
			expect(Math.abs(a.km - haversineKm(unit.staging, need.position))).toBeLessThan(
				0.005 * a.km + 0.01
			);
		}
		// Gate-only volunteers only stand at checkpoints.
		for (const a of plan.optimised.assignments.filter((x) => x.unitId === 'U2'))
			expect(plan.needs.find((n) => n.id === a.needId)!.skill).toBe('gate');
		expect(plan.grids.every((g) => g.reason.length > 0 && g.optimised <= g.wanted)).toBe(true);
	});

	it('"next shift" asks for fewer checkpoint people than "next day"; a pool larger than the need leaves nothing unmet', async () => {
		const big = { pool: [{ name: '大队', people: 5000, staging: 'subdistrict', skills: [] }] };
		const day = await asPlanner((tx) =>
			planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ ...big, horizon: 'day' }), 'en')
		);
		const shift = await asPlanner((tx) =>
			planReinforcements(
				tx,
				subdistrictId,
				NOW,
				parsePlanRequest({ ...big, horizon: 'shift' }),
				'en'
			)
		);
		const gate = (p: typeof day) =>
			p.needs.filter((n) => n.skill === 'gate').reduce((s, n) => s + n.people, 0);
		expect(gate(shift)).toBeLessThan(gate(day));
		expect(day.optimised.unmetPeople).toBe(0);
		expect(day.grids.every((g) => g.reason.endsWith('all covered'))).toBe(true);
	});

	it('refuses bad requests by row and field', async () => {
		const refuse = (body: unknown) => {
			try {
				parsePlanRequest(body);
			} catch (e) {
				expect(e).toBeInstanceOf(PlanInputError);
				return (e as PlanInputError).zh;
			}
			return 'accepted';
		};
		expect(
			refuse({
				pool: [
					{ people: 3, staging: 'subdistrict' },
					{ people: -1, staging: 'subdistrict' }
				]
			})
		).toMatch(/pool\[2\]\.people/);
		expect(refuse({ pool: [{ people: 3, staging: 'somewhere' }] })).toMatch(/pool\[1\]\.staging/);
		expect(refuse({ pool: [{ people: 3, staging: 'subdistrict', skills: ['cooking'] }] })).toMatch(
			/pool\[1\]\.skills/
		);
		expect(refuse({ pool: [], horizon: 'week' })).toMatch(/horizon/);
		expect(
			refuse({ pool: Array.from({ length: 201 }, () => ({ people: 1, staging: 'subdistrict' })) })
		).toMatch(/最多 200 支队伍/);
		expect(refuse({ pool: [], maxPerGrid: 0 })).toMatch(/maxPerGrid/);
		await expect(
			asPlanner((tx) =>
				planReinforcements(tx, subdistrictId, NOW, parsePlanRequest({ pool: [] }), 'zh-CN')
			)
		).rejects.toThrow(/人员池为空/);
		await expect(
			asPlanner((tx) =>
				planReinforcements(
					tx,
					subdistrictId,
					NOW,
					parsePlanRequest({ pool: [{ people: 3, staging: '330114009999' }] }),
					'zh-CN'
				)
			)
		).rejects.toThrow(/没有社区/);
	});
});

describe('plan scenarios: kept, exported, applied as shifts', () => {
	/** As the app's role with a planner's scope, in a transaction that is rolled back. */
	const asPlannerRolledBack = <T>(work: (tx: Queryable, userId: number) => Promise<T>) =>
		inRolledBackTransaction(async (tx) => {
			const [{ id: userId }] = await tx.query<{ id: number }>(
				`INSERT INTO app_user (subdistrict_id, username, display_name, role, password_hash) VALUES ($1, 'plan-test', '调度测试', 'planner', 'x') RETURNING id`,
				[subdistrictId]
			);
			await enterScope(tx, { subdistrictId, personScope: 'none', gridIds: [] });
			await tx.query('SET LOCAL ROLE gridwatch_app');
			return work(tx, userId);
		});
	const pool = {
		pool: [{ name: '机关干部', people: 40, staging: 'subdistrict', skills: [] }],
		horizon: 'day'
	};
	/** Plans and keeps a scenario, as POST /api/plan does. */
	const planAndSave = async (tx: Queryable, userId: number, body: Record<string, unknown>) => {
		const request = parsePlanRequest(body);
		const seenApplySeq = await lastApplication(tx);
		const result = await planReinforcements(tx, subdistrictId, NOW, request, 'zh-CN');
		return {
			request,
			result,
			saved: await saveScenario(tx, {
				subdistrictId,
				userId,
				asOf: NOW,
				request,
				result,
				seenApplySeq
			})
		};
	};

	it('keeps each plan with its figures; applying writes one staff row and shift per person sent, and staffed shifts leave the gap queue', async () => {
		await asPlannerRolledBack(async (tx, userId) => {
			// Enough people for every need of the next 24 h.
			const { result, saved } = await planAndSave(tx, userId, {
				pool: [{ name: '机关干部', people: 400, staging: 'subdistrict', skills: [] }],
				horizon: 'day',
				name: '今晚方案'
			});
			expect(saved.name).toBe('今晚方案');
			const sent = result.optimised.assignments.reduce((s, a) => s + a.people, 0);
			expect(result.optimised.unmetPeople).toBe(0);
			expect(saved.figures).toMatchObject({
				poolPeople: 400,
				sent,
				unmetPeople: result.optimised.unmetPeople,
				km: result.optimised.km
			});
			expect((await listScenarios(tx)).map((s) => s.id)).toContain(saved.id);

			const gateNeeds = result.needs.filter(
				(n) => n.skill === 'gate' && (result.optimised.unmet[n.id] ?? 0) === 0 && n.shift !== null
			);
			const openBefore = Number(
				(
					await tx.query<{ n: number }>(
						`SELECT count(*)::int AS n FROM gap_item WHERE closed_at IS NULL AND rule = 'checkpoint_short'`
					)
				)[0].n
			);

			const applied = await applyScenario(tx, saved.id, userId, NOW);
			expect(applied.people).toBe(sent);
			// Why few gaps close at once: the running shift (28 Feb 22:00–06:00 at 23:55) counts arrivals,
			// and grid work closes its gaps when it is done; only later shifts close by the roster.
			const sentTo = (keep: (n: (typeof result.needs)[number]) => boolean) =>
				result.optimised.assignments
					.filter((a) => keep(result.needs.find((n) => n.id === a.needId)!))
					.reduce((s, a) => s + a.people, 0);
			expect(applied.awaitingArrival).toBe(sentTo((n) => n.shift === '2020-02-28:2'));
			expect(applied.awaitingArrival).toBeGreaterThan(0);
			expect(applied.gridWork).toBe(sentTo((n) => n.skill !== 'gate'));
			const closed = await syncGaps(tx, subdistrictId, NOW, { settings: DEFAULT_GAP_SETTINGS });
			// Staff and shifts are person-level rows: counted under the system scope the rollup uses.
			const [{ staff, shifts, gate, grid }] = await tx
				.query<{ staff: number; shifts: number; gate: number; grid: number }>(
					`SELECT (SELECT count(*) FROM staff WHERE plan_id = $1)::int AS staff, count(*)::int AS shifts,
				        count(*) FILTER (WHERE duty = 'gate' AND checkpoint_id IS NOT NULL)::int AS gate,
				        count(*) FILTER (WHERE duty <> 'gate' AND checkpoint_id IS NULL)::int AS grid
				 FROM shift WHERE plan_id = $1`,
					[saved.id]
				)
				.catch(() => [{ staff: -1, shifts: -1, gate: -1, grid: -1 }]);
			// The planner's own scope sees no person-level rows (aggregates only) …
			expect(staff).toBe(0);
			expect(shifts).toBe(0);
			expect(gate + grid).toBe(0);
			// … so look as the connection user.
			await tx.query('RESET ROLE');
			const [counts] = await tx.query<{
				staff: number;
				shifts: number;
				gate: number;
				grid: number;
				misplaced: number;
			}>(
				`SELECT (SELECT count(*) FROM staff WHERE plan_id = $1)::int AS staff, count(*)::int AS shifts,
				        count(*) FILTER (WHERE duty = 'gate' AND checkpoint_id IS NOT NULL)::int AS gate,
				        count(*) FILTER (WHERE duty <> 'gate' AND checkpoint_id IS NULL)::int AS grid,
				        count(*) FILTER (WHERE ends_at <= $2 OR grid_id IS NULL OR community_id IS NULL)::int AS misplaced
				 FROM shift WHERE plan_id = $1`,
				[saved.id, new Date(NOW).toISOString()]
			);
			expect(counts.staff).toBe(sent);
			expect(counts.shifts).toBe(sent);
			expect(counts.gate).toBe(
				result.optimised.assignments
					.filter((a) => a.needId.startsWith('checkpoint:'))
					.reduce((s, a) => s + a.people, 0)
			);
			expect(counts.gate + counts.grid).toBe(sent);
			expect(counts.misplaced).toBe(0);
			// Later shifts count who is rostered: every fully covered one is closed now.
			const laterCovered = gateNeeds.filter(
				(n) =>
					Date.parse(`${n.shift!.split(':')[0]}T00:00:00+08:00`) +
						(6 + 8 * Number(n.shift!.split(':')[1])) * 3_600_000 >
					NOW
			);
			expect(laterCovered.length).toBeGreaterThan(0);
			expect(closed.closed).toBeGreaterThanOrEqual(laterCovered.length);
			const openAfter = Number(
				(
					await tx.query<{ n: number }>(
						`SELECT count(*)::int AS n FROM gap_item WHERE closed_at IS NULL AND rule = 'checkpoint_short'`
					)
				)[0].n
			);
			expect(openAfter).toBe(openBefore - laterCovered.length);
			const [{ appliedBy }] = await tx.query<{ appliedBy: number }>(
				'SELECT applied_by AS "appliedBy" FROM plan_scenario WHERE id = $1',
				[saved.id]
			);
			expect(appliedBy).toBe(userId);
			// The next plan knows who is on the way: the running shift's and the grids' people are
			// rostered, the later shifts' gaps are closed — nothing is left to ask for.
			await tx.query('SET LOCAL ROLE gridwatch_app');
			const again = await planAndSave(tx, userId, pool).catch((e: Error) => e);
			expect(again instanceof Error ? again.message : JSON.stringify(again.result.needs)).toMatch(
				/当前没有需要增援的缺口/
			);
		});
	});

	it('refuses to apply twice, to apply a plan made before another was applied, and to delete an applied one', async () => {
		await asPlannerRolledBack(async (tx, userId) => {
			const { saved: first } = await planAndSave(tx, userId, pool);
			const { saved: second } = await planAndSave(tx, userId, pool);
			expect(second.name).not.toBe(first.name);
			expect(second.stale).toBeNull();
			await applyScenario(tx, first.id, userId, NOW);
			// The list and the scenario say why the second can no longer be applied, before anyone tries.
			const listed = await listScenarios(tx, NOW);
			expect(listed.find((s) => s.id === second.id)!.stale).toEqual({
				reason: 'superseded',
				by: first.name
			});
			expect(listed.find((s) => s.id === first.id)!.stale).toBeNull();
			expect(((await getScenario(tx, second.id, true, NOW)) as Scenario).stale).toEqual({
				reason: 'superseded',
				by: first.name
			});
			// Each refusal in a savepoint: a refused apply aborts its transaction (a request's, in the app).
			const refusal = async (work: () => Promise<unknown>) => {
				await tx.query('SAVEPOINT refusal');
				try {
					await work();
					await tx.query('RELEASE SAVEPOINT refusal');
				} catch (e) {
					await tx.query('ROLLBACK TO SAVEPOINT refusal');
					expect(e).toBeInstanceOf(ScenarioError);
					return `${(e as ScenarioError).status} ${(e as ScenarioError).en}`;
				}
				return 'done';
			};
			expect(await refusal(() => applyScenario(tx, first.id, userId, NOW))).toMatch(
				/^409 .*applied already/
			);
			expect(await refusal(() => applyScenario(tx, second.id, userId, NOW))).toMatch(
				/^409 Another plan/
			);
			expect(await refusal(() => deleteScenario(tx, first.id))).toMatch(/^409 .*cannot be deleted/);
			expect(await refusal(() => applyScenario(tx, 99_999_999, userId, NOW))).toMatch(/^404/);
			// The database refuses on its own too: rows that are not the stored plan's, or an unknown plan.
			const dbRefusal = async (sql: string, params: unknown[]) => {
				await tx.query('SAVEPOINT direct');
				try {
					await tx.query(sql, params);
					return 'done';
				} catch (e) {
					return (e as Error).message;
				} finally {
					await tx.query('ROLLBACK TO SAVEPOINT direct');
				}
			};
			expect(
				await dbRefusal('SELECT * FROM apply_plan(99999999, $1, $2, $3::text::jsonb)', [
					userId,
					new Date(NOW).toISOString(),
					'[]'
				])
			).toMatch(/plan_not_found/);
			const { saved: third } = await planAndSave(tx, userId, { ...pool, name: '第三' });
			const forged = JSON.stringify([
				{
					unit: 'x',
					duty: 'gate',
					grid: '0101',
					checkpoint: 'K999',
					startsAt: new Date(NOW + 3_600_000).toISOString(),
					endsAt: new Date(NOW + 9 * 3_600_000).toISOString(),
					people: 500
				}
			]);
			expect(
				await dbRefusal('SELECT * FROM apply_plan($1, $2, $3, $4::text::jsonb)', [
					third.id,
					userId,
					new Date(NOW).toISOString(),
					forged
				])
			).toMatch(/plan_rows_mismatch/);
			// A plan whose shifts are over says so (with the first end), and applying it is refused; nothing is written.
			const later = NOW + 3 * 24 * 3_600_000;
			expect(((await getScenario(tx, third.id, false, NOW)) as Scenario).stale).toBeNull();
			const ended = ((await getScenario(tx, third.id, false, later)) as Scenario).stale;
			expect(ended).toMatchObject({ reason: 'shift_ended' });
			expect(Date.parse((ended as { endedAt: string }).endedAt)).toBeLessThanOrEqual(later);
			expect(
				await refusal(() => applyScenario(tx, third.id, userId, NOW + 3 * 24 * 3_600_000))
			).toMatch(/^409 A shift in this plan is over/);
			await tx.query('RESET ROLE');
			expect(
				(
					await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE plan_id = $1', [
						third.id
					])
				)[0].n
			).toBe(0);
			await tx.query('SET LOCAL ROLE gridwatch_app');
			await deleteScenario(tx, second.id);
			expect((await listScenarios(tx)).map((s) => s.id)).not.toContain(second.id);
		});
	});

	it('exports the dispatch as CSV and a four-sheet workbook, naming places and shifts in words, numbers and times as numbers and dates', async () => {
		await asPlannerRolledBack(async (tx, userId) => {
			const { result, saved } = await planAndSave(tx, userId, {
				...pool,
				pool: [{ ...pool.pool[0], name: '=HYPERLINK("x")' }]
			});
			const scenario = (await getScenario(tx, saved.id)) as Scenario;
			const names = await loadPlaceNames(tx, subdistrictId, 'zh-CN');
			const csv = scenarioCsv(scenario, 'zh-CN', names);
			expect(
				csv.startsWith(
					'\ufeff队伍,社区,网格,任务,卡口,班次,开始,人数,路程 km,网格编码,卡口编码\r\n'
				)
			).toBe(true);
			const lines = csv.trim().split('\r\n');
			expect(lines.length).toBe(
				1 + result.optimised.assignments.filter((a) => a.people > 0).length
			);
			// A unit name a spreadsheet would run as a formula stays text.
			expect(lines[1].startsWith(`"'=HYPERLINK(""x"")"`)).toBe(true);
			const cells = lines.slice(1).map((l) => l.replace(/^"[^"]*(""[^"]*)*"/, 'unit').split(','));
			expect(cells.reduce((s, c) => s + Number(c[7]), 0)).toBe(saved.figures.sent);
			// Places and shifts in words, as the database names them; the codes only in the last two columns.
			const [gate] = await tx.query<{
				code: string;
				name: string;
				grid: string;
				community: string;
			}>(
				`SELECT k.code, k.name, g.name AS grid, c.name AS community FROM checkpoint k JOIN grid g ON g.id = k.grid_id JOIN community c ON c.id = g.community_id WHERE k.code = $1`,
				[cells.find((c) => c[10])![10]]
			);
			const row = cells.find((c) => c[10] === gate.code)!;
			expect(row.slice(1, 3)).toEqual([gate.community, gate.grid]);
			expect(row[4]).toBe(gate.name);
			expect(row[4]).not.toMatch(/^[A-Z]?\d+$/);
			for (const c of cells) {
				expect(c[1]).toMatch(/社区$/);
				expect(c[5]).toMatch(/^2020-0[23]-\d\d (06:00–14:00|14:00–22:00|22:00–06:00)$/);
			}
			expect(cells.some((c) => c[5] === '2020-02-28 22:00–06:00')).toBe(true);

			const workbook = new ExcelJS.Workbook();
			await workbook.xlsx.load(
				await scenarioXlsx(scenario, 'en', await loadPlaceNames(tx, subdistrictId, 'en'))
			);
			expect(workbook.worksheets.map((w) => w.name)).toEqual([
				'Summary',
				'Dispatch',
				'Grids',
				'Needs'
			]);
			const dispatch = workbook.getWorksheet('Dispatch')!;
			expect(dispatch.rowCount).toBe(lines.length);
			expect(workbook.getWorksheet('Grids')!.rowCount).toBe(1 + result.grids.length);
			// Start times are date cells showing Beijing time; people and km numeric with separators.
			const first = dispatch.getRow(2);
			expect(first.getCell(7).value).toBeInstanceOf(Date);
			expect(first.getCell(7).numFmt).toBe('yyyy-mm-dd hh:mm');
			expect((first.getCell(7).value as Date).toISOString().slice(11, 16)).toBe(
				first.getCell(6).text.slice(11, 16)
			);
			expect(typeof first.getCell(8).value).toBe('number');
			expect(first.getCell(8).numFmt).toBe('#,##0');
			expect(first.getCell(9).numFmt).toBe('#,##0.0');
			expect(String(first.getCell(2).value)).not.toMatch(/^\d+$/);
			const summary = workbook.getWorksheet('Summary')!;
			expect(summary.getCell('B2').value).toBeInstanceOf(Date);
			expect((summary.getCell('B2').value as Date).toISOString().slice(0, 16)).toBe(
				'2020-02-28T23:55'
			);
			let objective = '';
			summary.eachRow((r) =>
				r.getCell(1).value === 'Objective' ? (objective = String(r.getCell(2).value)) : null
			);
			expect(objective).toContain('urgent ×3, important ×2, routine ×1');
		});
	});
});
