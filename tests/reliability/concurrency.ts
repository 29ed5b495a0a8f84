/**
 * Concurrency: the same gap acted on from two phones at once, the same shift arrival sent twice
 * at once, the same plan applied twice at once. Each must have exactly one outcome: one request
 * succeeds, the other is refused in words (409) or changes nothing, and the database holds one
 * event, one arrival, one set of rostered people.
 */
import { Client } from '../support/http';
import type { Backend, Identities, Table } from './harness';
import { postJson } from './harness';
import type { Db } from '../../src/lib/server/db/types';

/** The demo's clock: 23:55 Beijing time on its last day. */
const DEMO_NOW = '2020-02-28T23:55:00+08:00';

export interface ConcurrencyTargets {
	gapId: number;
	shiftId: number;
}

/** An open gap any data officer may act on, and a running shift nobody has arrived for. */
export async function pickTargets(db: Db): Promise<ConcurrencyTargets> {
	const [gap] = await db.query<{ id: number }>(
		`SELECT id FROM gap_item WHERE closed_at IS NULL AND status = 'open' ORDER BY id DESC LIMIT 1`
	);
	const [shift] = await db.query<{ id: number }>(
		`SELECT id FROM shift WHERE starts_at <= $1::timestamptz AND ends_at > $1::timestamptz AND NOT checked_in AND plan_id IS NULL ORDER BY id DESC LIMIT 1`,
		[DEMO_NOW]
	);
	if (!gap || !shift)
		throw new Error(`no open gap or running shift to race on (gap ${gap?.id}, shift ${shift?.id})`);
	return { gapId: gap.id, shiftId: shift.id };
}

export interface ConcurrencyOutcome {
	gap: { statuses: number[] };
	shift: { statuses: number[]; changed: boolean[] };
	plan: { scenarioId: number; statuses: number[] };
}

const twice = async (send: () => Promise<Response>) => {
	const responses = await Promise.all([send(), send()]);
	return Promise.all(
		responses.map(async (r) => ({
			status: r.status,
			body: (await r.json().catch(() => null)) as Record<string, unknown> | null
		}))
	);
};

/** Sends the racing requests through the app. */
export async function race(
	baseUrl: string,
	who: Identities,
	targets: ConcurrencyTargets
): Promise<ConcurrencyOutcome> {
	// Two phones: two sessions of people who may act on the item.
	const phoneA = new Client(baseUrl);
	const phoneB = new Client(baseUrl);
	await phoneA.signInAsDemo('demo-data');
	await phoneB.signInAsDemo('demo-data');
	const resolved = await Promise.all([
		postJson(phoneA, `/api/gaps/${targets.gapId}`, { action: 'resolve', note: '手机甲：已处置' }),
		postJson(phoneB, `/api/gaps/${targets.gapId}`, { action: 'resolve', note: '手机乙：已处置' })
	]);
	const arrival = await twice(() =>
		postJson(phoneA, `/api/shifts/${targets.shiftId}`, { checkedIn: true })
	);
	const planner = who.roles['demo-planner'];
	const made = await postJson(planner, '/api/plan', {
		name: '可靠性：并发执行',
		pool: [{ name: '并发测试队', people: 5, staging: 'subdistrict' }],
		horizon: 'day',
		objective: 'weighted'
	});
	if (made.status !== 200) throw new Error(`POST /api/plan: ${made.status} ${await made.text()}`);
	const scenarioId = ((await made.json()) as { scenario: { id: number } }).scenario.id;
	const applied = await twice(() =>
		postJson(planner, `/api/plan/scenarios/${scenarioId}/apply`, {})
	);
	return {
		gap: { statuses: resolved.map((r) => r.status) },
		shift: {
			statuses: arrival.map((r) => r.status),
			changed: arrival.map((r) => r.body?.changed === true)
		},
		plan: { scenarioId, statuses: applied.map((r) => r.status) }
	};
}

/** Reads what the database holds after the race and adds the rows. */
export async function checkRace(
	table: Table,
	backend: Backend,
	targets: ConcurrencyTargets,
	outcome: ConcurrencyOutcome
): Promise<void> {
	const counts = await backend.withDb(async (db) => {
		const [gap] = await db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM gap_event WHERE gap_id = $1 AND action = 'resolved'`,
			[targets.gapId]
		);
		const [arrivals] = await db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM audit_log WHERE action = 'shift.check_in' AND target_id = $1`,
			[String(targets.shiftId)]
		);
		const [checked] = await db.query<{ checked: boolean }>(
			'SELECT checked_in AS checked FROM shift WHERE id = $1',
			[targets.shiftId]
		);
		const [plan] = await db.query<{ staff: number; shifts: number; audits: number }>(
			`SELECT (SELECT count(*)::int FROM staff WHERE plan_id = $1) AS staff, (SELECT count(*)::int FROM shift WHERE plan_id = $1) AS shifts,
			        (SELECT count(*)::int FROM audit_log WHERE action = 'plan.apply' AND target_id = $1::text) AS audits`,
			[outcome.plan.scenarioId]
		);
		return { gapEvents: gap.n, arrivals: arrivals.n, checked: checked?.checked === true, plan };
	});
	const sorted = (s: number[]) => [...s].sort().join(', ');
	const gapOk = sorted(outcome.gap.statuses) === '200, 409' && counts.gapEvents === 1;
	table.add(
		'concurrency',
		`one gap resolved from two phones at once: answers; 'resolved' events`,
		backend.name,
		`${sorted(outcome.gap.statuses)}; ${counts.gapEvents}`,
		'200, 409; 1',
		gapOk
	);
	const changedOnce = outcome.shift.changed.filter(Boolean).length;
	const shiftOk =
		outcome.shift.statuses.every((s) => s === 200) &&
		changedOnce === 1 &&
		counts.arrivals === 1 &&
		counts.checked;
	table.add(
		'concurrency',
		'one shift arrival sent twice at once: answers (changed); arrivals recorded',
		backend.name,
		`${sorted(outcome.shift.statuses)} (changed ${changedOnce}); ${counts.arrivals}`,
		'200, 200 (changed 1); 1',
		shiftOk
	);
	const planOk =
		sorted(outcome.plan.statuses) === '200, 409' &&
		counts.plan.audits === 1 &&
		counts.plan.staff > 0 &&
		counts.plan.staff === counts.plan.shifts;
	table.add(
		'concurrency',
		'one plan applied twice at once: answers; applications (people, shifts)',
		backend.name,
		`${sorted(outcome.plan.statuses)}; ${counts.plan.audits} (${counts.plan.staff}, ${counts.plan.shifts})`,
		'200, 409; 1',
		planOk
	);
}
