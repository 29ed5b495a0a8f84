import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { getDataPeriod } from '$lib/server/queries/areas';
import { writeAudit } from '$lib/server/audit';
import { beijingDay, now } from '$lib/server/clock';
import { refreshAfterWrite } from '$lib/server/rollup';
import { loadGapSettings, syncGaps } from '$lib/server/gaps';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

function bad(field: string, zh: string, en: string): never {
	error(400, {
		message: say(`字段 ${field} 无效：${zh}`, `Invalid field ${field}: ${en}`),
		code: 'bad_field'
	});
}

const METHODS = ['door', 'phone', 'checkpoint'];
const RESULTS = ['normal', 'fever', 'referred'];

/**
 * POST /api/screenings {personId, method: door|phone|checkpoint, result: normal|fever|referred, at?}
 * Records one screening of a person in the caller's scope (row-level security refuses others),
 * refreshes the grid figures from that day on, and tells open maps and wall screens. Audited.
 */
export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say('请先登录', 'Sign in first'), code: 'unauthenticated' });
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		error(400, {
			message: say('请求体应为 JSON', 'The request body must be JSON'),
			code: 'bad_body'
		});
	}
	if (typeof body !== 'object' || body === null)
		error(400, {
			message: say('请求体应为 JSON 对象', 'The request body must be a JSON object'),
			code: 'bad_body'
		});
	const personId = body.personId;
	if (
		typeof personId !== 'number' ||
		!Number.isInteger(personId) ||
		personId <= 0 ||
		personId > 2_147_483_647
	)
		bad('personId', '应为正整数', 'expected a positive whole number');
	const method = body.method ?? 'door';
	if (typeof method !== 'string' || !METHODS.includes(method))
		bad('method', `应为 ${METHODS.join('、')} 之一`, `expected one of ${METHODS.join(', ')}`);
	const result = body.result ?? 'normal';
	if (typeof result !== 'string' || !RESULTS.includes(result))
		bad('result', `应为 ${RESULTS.join('、')} 之一`, `expected one of ${RESULTS.join(', ')}`);
	const db = await getDb();
	const clock = await now(db);
	let at = clock;
	if (body.at !== undefined) {
		const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
		at = typeof body.at === 'string' && iso.test(body.at) ? Date.parse(body.at) : NaN;
		if (!Number.isFinite(at))
			bad(
				'at',
				'应为带时区的 ISO 时间，如 2020-02-28T15:30:00+08:00',
				'expected an ISO time with offset, e.g. 2020-02-28T15:30:00+08:00'
			);
		if (at > clock + 60_000) bad('at', '不能晚于当前时间', 'cannot be in the future');
	}
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say('尚无数据', 'No data loaded yet'), code: 'no_data' });
	const day = beijingDay(at);
	if (day < period.first)
		bad('at', `早于数据起始日 ${period.first}`, `before the data begins on ${period.first}`);

	const settings = await loadGapSettings(db);
	const created = await withScope(db, scope, async (tx) => {
		// Row-level security: a person outside the caller's scope is not visible, so not found.
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
			actorUserId: user.id,
			actor: user.username,
			action: 'screening.create',
			targetKind: 'person',
			targetId: String(personId),
			detail: { screeningId: row.id, grid: person.gridCode, method, result, day },
			address: getClientAddress()
		});
		return { id: row.id, personId, grid: person.gridCode, day };
	});
	return json(created, { status: 201 });
};
