/**
 * Bad input: property-based fuzzing (fast-check) of every route and form action the app has, found
 * by walking src/routes, with arbitrary paths, query strings, headers and bodies, as anonymous,
 * as each demo role and as a wall-screen link. No answer may be a 5xx, the server must stay up,
 * and a refused request must write nothing. Then bodies too big to read: refused quickly, with
 * the server's memory bounded.
 */
import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { RunningServer } from '../support/server';
import { alive, mb, ROOT, rssBytes, RUN_WALL_LABEL, type Identities, type Table } from './harness';
import type { Db } from '../../src/lib/server/db/types';
import { unexplainedChanges, WRITERS, type AcceptedWrite } from './attribution';

interface Endpoint {
	method: string;
	/** The route with its parameters as `[name]`, and `?/action` for form actions. */
	path: string;
}

/** Every endpoint: the methods each +server.ts exports, each page, and each form action. */
export function enumerateEndpoints(): Endpoint[] {
	const routes = join(ROOT, 'src/routes');
	const found: Endpoint[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) {
				walk(full);
				continue;
			}
			const route = `/${relative(routes, dir)}`.replace(/\/$/, '') || '/';
			const source = readFileSync(full, 'utf8');
			if (name === '+server.ts') {
				for (const [, method] of source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g))
					found.push({ method, path: route });
			} else if (name === '+page.server.ts') {
				found.push({ method: 'GET', path: route });
				const actions = source.split('export const actions')[1];
				if (actions)
					for (const [, action] of actions.matchAll(/^\t(\w+):/gm))
						found.push({
							method: 'POST',
							path: action === 'default' ? route : `${route}?/${action}`
						});
			}
		}
	};
	walk(routes);
	return found;
}

/** What may be written by a request the app answered 2xx/3xx: tables of people's records, plans, users, links, settings. */
export async function writableState(db: Db): Promise<Record<string, string>> {
	const [row] = await db.query<Record<string, string>>(`SELECT
		(SELECT count(*) FROM screening)::text AS screening,
		(SELECT count(*) FROM person)::text AS person,
		(SELECT count(*) || '/' || count(*) FILTER (WHERE ended_at IS NOT NULL) FROM observation)::text AS observation,
		(SELECT count(*) FROM health_check)::text AS health_check,
		(SELECT count(*) || '/' || count(done_at) || '/' || count(missed_at) FROM service_task)::text AS service_task,
		(SELECT count(*) FROM idempotent_request)::text AS idempotent_request,
		(SELECT count(*) || '/' || count(*) FILTER (WHERE checked_in) FROM shift)::text AS shift,
		(SELECT count(*) FROM staff)::text AS staff,
		(SELECT count(*) || '/' || sum(members) FROM household) AS household,
		(SELECT count(*) FROM building)::text AS building,
		(SELECT count(*) || '/' || count(committed_at) || '/' || count(rolled_back_at) FROM import_batch) AS import_batch,
		(SELECT count(*) || '/' || coalesce(md5(string_agg(name || coalesce(applied_at::text, ''), ',' ORDER BY id)), '') FROM plan_scenario) AS plan_scenario,
		(SELECT count(*) || '/' || md5(string_agg(username || role || disabled::text || coalesce(password_hash, ''), ',' ORDER BY id)) FROM app_user) AS app_user,
		(SELECT count(*) FROM user_scope)::text AS user_scope,
		(SELECT count(*) || '/' || count(*) FILTER (WHERE revoked_at IS NULL) FROM wall_token WHERE label <> '${RUN_WALL_LABEL}') AS wall_token,
		(SELECT count(*) FROM gap_event WHERE actor_user_id IS NOT NULL)::text AS gap_event,
		(SELECT md5(coalesce(string_agg(key || value::text, ',' ORDER BY key), '')) FROM app_setting) AS app_setting,
		(SELECT count(*) FROM audit_log WHERE action NOT IN ('signin', 'signin.demo', 'signin.failed', 'signin.throttled', 'signout', 'person.read', 'export.table') AND NOT (action = 'wall_token.create' AND target_id = '${RUN_WALL_LABEL}'))::text AS audit_writes`);
	return row;
}

const PARAM_NAMES = [
	'date',
	'level',
	'grid',
	'community',
	'state',
	'days',
	'shift',
	'format',
	'metric',
	'classes',
	'n',
	'per',
	'compare',
	'drill',
	'lang',
	'wall_token',
	'next',
	'q',
	'action',
	'page',
	'user',
	'from',
	'to'
];
const FIELD_NAMES = [
	'personId',
	'method',
	'result',
	'at',
	'action',
	'staffId',
	'note',
	'checkedIn',
	'pool',
	'horizon',
	'objective',
	'maxPerGrid',
	'keepUnitsTogether',
	'norms',
	'name',
	'username',
	'password',
	'next',
	'label',
	'suppressBelow',
	'role',
	'areas',
	'displayName',
	'id',
	'rule',
	'value',
	'phone',
	'idNumber',
	'origin',
	'arrivedAt',
	'householdId',
	'address',
	'personIds',
	'days',
	'startDate',
	'reason',
	'checks',
	'temperature',
	'symptoms',
	'outcome',
	'community',
	'date',
	'figures',
	'reasons'
];
const CONTENT_TYPES = [
	'application/json',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	'text/plain',
	'application/octet-stream',
	'application/json; charset=gb18030',
	''
];

/** A text that mixes the kinds of characters that break parsers. */
/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as raw percent bytes. */
const encode = (text: string) => {
	try {
		return encodeURIComponent(text);
	} catch {
		return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
	}
};

const nasty = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'0',
		'-1',
		'1e308',
		'NaN',
		'null',
		'true',
		'2020-02-30',
		'2020-02-28',
		'0502',
		'9999',
		'../../etc/passwd',
		"'; DROP TABLE person; --",
		'%00',
		'\u0000',
		'\uFFFF',
		'\uD800',
		'😷',
		'<script>',
		'{}',
		'[]',
		'a'.repeat(5000)
	),
	fc.integer().map(String),
	fc.double().map(String)
);
const percentGarbage = fc
	.array(
		fc.oneof(
			fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
			fc.constantFrom('%', '%z', '%C0%AF', '%E4%', '..', '/', '//', ';', '#'),
			fc.string({ maxLength: 6 }).map(encode)
		),
		{ maxLength: 12 }
	)
	.map((parts) => parts.join(''));

function fillPath(path: string, fill: string): string {
	return path.replace(/\[\w+\]/g, fill);
}

interface Case {
	identity: string;
	method: string;
	path: string;
	headers: Record<string, string>;
	body: string | null;
}

function caseArbitrary(endpoints: Endpoint[], identities: string[]): fc.Arbitrary<Case> {
	const jsonBody = fc.oneof(
		fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
		fc
			.dictionary(fc.constantFrom(...FIELD_NAMES), fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty), {
				maxKeys: 6
			})
			.map((v) => JSON.stringify(v))
	);
	const formBody = fc
		.dictionary(fc.constantFrom(...FIELD_NAMES), nasty, { maxKeys: 6 })
		.map((v) => new URLSearchParams(v).toString());
	const body = fc.oneof(
		jsonBody,
		formBody,
		fc.string({ unit: 'binary', maxLength: 200 }),
		fc.constant(''),
		fc.constant(null),
		fc.nat({ max: 200_000 }).map((n) => '['.repeat(n % 3000) + 'x'.repeat(n))
	);
	const path = fc.oneof(
		{
			weight: 6,
			arbitrary: fc
				.tuple(
					fc.constantFrom(...endpoints),
					fc.oneof(fc.nat({ max: 5000 }).map(String), nasty.map(encode), percentGarbage)
				)
				.map(([e, fill]) => ({ method: e.method, path: fillPath(e.path, fill) }))
		},
		{
			weight: 1,
			arbitrary: fc
				.tuple(
					fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
					percentGarbage
				)
				.map(([method, garbage]) => ({ method, path: `/${garbage}` }))
		}
	);
	const query = fc
		.dictionary(fc.oneof(fc.constantFrom(...PARAM_NAMES), nasty), nasty, { maxKeys: 5 })
		.map((q) => {
			const text = new URLSearchParams(q).toString();
			return text;
		});
	const headers = fc.record(
		{
			'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 30 })),
			'accept-language': fc.oneof(
				fc.constantFrom('zh-CN', 'en', 'en-US,en;q=0.9', '*', ''),
				fc.string({ maxLength: 30 })
			),
			accept: fc.constantFrom(
				'application/json',
				'text/html',
				'*/*',
				'text/event-stream',
				'application/x-sveltekit-action'
			),
			cookie: fc.oneof(
				fc.constant(''),
				fc.constantFrom(
					'lang=en',
					'lang=zh',
					'lang=%ZZ',
					'gw_wall=wall_bogus',
					'gw_session=abc',
					'__Host-gw_session=1'
				),
				fc.string({ maxLength: 60 })
			),
			'x-sveltekit-action': fc.constantFrom('true', ''),
			sameOrigin: fc.boolean()
		},
		{ requiredKeys: ['accept', 'sameOrigin'] }
	);
	return fc
		.record({
			identity: fc.constantFrom(...identities),
			target: path,
			query,
			extraQuery: fc.boolean(),
			headers,
			body
		})
		.map(({ identity, target, query, extraQuery, headers, body }) => {
			const { sameOrigin, ...rest } = headers;
			const sep = target.path.includes('?') ? '&' : '?';
			return {
				identity,
				method: target.method,
				path: extraQuery && query ? `${target.path}${sep}${query}` : target.path,
				headers: {
					...Object.fromEntries(
						Object.entries(rest).filter(([, v]) => v !== undefined && v !== '')
					),
					...(sameOrigin ? { origin: '__ORIGIN__' } : {})
				} as Record<string, string>,
				body: target.method === 'GET' || target.method === 'HEAD' ? null : body
			};
		});
}

/** Sends one request as raw HTTP (so that paths and headers reach the server as generated). */
function send(
	baseUrl: string,
	method: string,
	path: string,
	headers: Record<string, string>,
	body: string | Buffer | null,
	timeoutMs = 30_000
): Promise<{ status: number; ms: number } | { clientError: string }> {
	const url = new URL(baseUrl);
	const started = performance.now();
	return new Promise((done) => {
		let req;
		try {
			req = httpRequest(
				{
					host: url.hostname,
					port: url.port,
					method,
					path,
					headers:
						body === null
							? headers
							: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
					timeout: timeoutMs
				},
				(res) => {
					clearTimeout(deadline);
					// An event stream never ends by itself: its answer is its status.
					if (String(res.headers['content-type']).includes('text/event-stream')) {
						res.destroy();
						return done({ status: res.statusCode ?? 0, ms: performance.now() - started });
					}
					res.resume();
					res.on('end', () =>
						done({ status: res.statusCode ?? 0, ms: performance.now() - started })
					);
					res.on('error', () =>
						done({ status: res.statusCode ?? 0, ms: performance.now() - started })
					);
				}
			);
		} catch (error) {
			return done({ clientError: error instanceof Error ? error.message : String(error) });
		}
		const deadline = setTimeout(() => req.destroy(new Error('no answer in time')), timeoutMs);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (error) => done({ clientError: error.message }));
		if (body !== null) req.end(body);
		else req.end();
	});
}

export async function fuzzPhase(
	table: Table,
	backend: string,
	server: RunningServer,
	who: Identities,
	cases: number,
	seed: number
): Promise<{ acceptedWrites: AcceptedWrite[] }> {
	const endpoints = enumerateEndpoints();
	const cookies: Record<string, string> = { anonymous: '', wall: who.wall.cookie };
	for (const [role, client] of Object.entries(who.roles)) cookies[role] = client.cookie;
	// Sign-out would end the session the other cases use: its own identity signs in again.
	// Some cases are not sent (sign-out and the like, or what the HTTP client cannot send): generate a margin.
	const generated = fc.sample(caseArbitrary(endpoints, Object.keys(cookies)), {
		numRuns: Math.ceil(cases * 1.3),
		seed
	});
	let sent = 0;
	let fiveXX = 0;
	let clientErrors = 0;
	let hung = 0;
	const samples: string[] = [];
	const acceptedWrites: AcceptedWrite[] = [];
	const statuses = new Map<number, number>();
	let next = 0;
	const started = Date.now();
	const worker = async () => {
		while (next < generated.length && sent < cases && alive(server.process)) {
			const c = generated[next++];
			const headers = { ...c.headers };
			if (headers.origin === '__ORIGIN__') headers.origin = server.url;
			const cookie = [cookies[c.identity], headers.cookie].filter(Boolean).join('; ');
			if (cookie) headers.cookie = cookie;
			else delete headers.cookie;
			// Signing out, revoking a link or disabling a user would change who the later cases are: not sent.
			if (/^\/signout|revoke|toggle/.test(c.path) && c.method === 'POST') continue;
			const result = await send(server.url, c.method, c.path, headers, c.body, 15_000);
			if ('clientError' in result) {
				if (/no answer in time|timeout/.test(result.clientError)) {
					hung++;
					if (samples.length < 8)
						samples.push(`${c.identity} ${c.method} ${c.path.slice(0, 80)} → no answer in 15 s`);
				} else clientErrors++;
				continue;
			}
			sent++;
			statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
			if (result.status >= 500) {
				fiveXX++;
				if (samples.length < 8)
					samples.push(
						`${c.identity} ${c.method} ${c.path.slice(0, 80)} [${(c.body ?? '').slice(0, 60)}] → ${result.status}`
					);
			}
			if (!['GET', 'HEAD', 'OPTIONS'].includes(c.method) && result.status < 400)
				acceptedWrites.push({
					identity: c.identity,
					method: c.method,
					path: c.path,
					status: result.status
				});
		}
	};
	await Promise.all(Array.from({ length: 6 }, worker));
	const seconds = (Date.now() - started) / 1000;
	const byStatus = [...statuses.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([s, n]) => `${s}:${n}`)
		.join(' ');
	console.log(
		`    fuzz on ${backend}: ${endpoints.length} endpoints, ${sent} answered in ${seconds.toFixed(0)} s (${clientErrors} not sendable by the client); statuses ${byStatus}`
	);
	for (const s of samples) console.log(`    5xx: ${s}`);
	for (const w of acceptedWrites.slice(0, 5))
		console.log(
			`    accepted write: ${w.identity} ${w.method} ${w.path.slice(0, 60)} → ${w.status}`
		);
	table.add(
		'bad input',
		`fuzzed requests answered (${endpoints.length} endpoints × 9 identities, seed ${seed})`,
		backend,
		String(sent),
		`≥ ${cases}`,
		sent >= cases
	);
	table.add(
		'bad input',
		`5xx answers, and requests left unanswered 15 s${samples.length ? `: ${samples[0]}` : ''}`,
		backend,
		`${fiveXX}, ${hung}`,
		'0, 0',
		fiveXX === 0 && hung === 0
	);
	table.add(
		'bad input',
		'server process alive after the fuzzing',
		backend,
		alive(server.process)
			? 'yes'
			: `no (exit ${server.process.exitCode ?? server.process.signalCode})`,
		'yes',
		alive(server.process)
	);
	return { acceptedWrites };
}

/** The writable state before and after: equal, except where an accepted write explains the change. */
export function checkNothingWritten(
	table: Table,
	backend: string,
	before: Record<string, string>,
	after: Record<string, string>,
	accepted: AcceptedWrite[]
) {
	const { changed, unexplained } = unexplainedChanges(before, after, accepted);
	const describe = (keys: string[]) =>
		keys.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ');
	for (const k of changed.filter((c) => !unexplained.includes(c))) {
		const writers = accepted.filter(
			(w) => w.identity !== 'anonymous' && w.identity !== 'wall' && WRITERS[k].test(w.path)
		);
		console.log(
			`    ${k} changed by an accepted write: ${writers
				.slice(0, 3)
				.map((w) => `${w.identity} ${w.method} ${w.path.slice(0, 60)} → ${w.status}`)
				.join('; ')}`
		);
	}
	const measured = unexplained.length
		? describe(unexplained)
		: changed.length
			? `none (${changed.length} change(s), each by an accepted write)`
			: 'none';
	table.add(
		'bad input',
		`tables changed by refused requests (${accepted.length} accepted writes)`,
		backend,
		measured,
		'none',
		unexplained.length === 0
	);
}

/** Bodies no one should send: each refused in under a second, with the server's memory bounded. */
export async function oversizedPhase(
	table: Table,
	backend: string,
	server: RunningServer,
	who: Identities
): Promise<void> {
	const cookie = who.roles['demo-planner'].cookie;
	const headers = (type: string) => ({ cookie, origin: server.url, 'content-type': type });
	const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
	const coordinates = () => {
		const parts: string[] = [];
		for (let i = 0; i < 5_000_000; i++) parts.push('120.35,30.31');
		return `{"type":"Polygon","coordinates":[[${parts.map((p) => `[${p}]`).join(',')}]]}`;
	};
	const cases: { name: string; path: string; type: string; body: () => string | Buffer }[] = [
		{
			name: '50 MB JSON body',
			path: '/api/plan',
			type: 'application/json',
			body: () => Buffer.alloc(50 * 1048576, 'a')
		},
		{
			name: 'JSON nested 100,000 levels deep',
			path: '/api/plan',
			type: 'application/json',
			body: () => deep(100_000)
		},
		{
			name: 'JSON nested 100,000 levels deep (screening)',
			path: '/api/screenings',
			type: 'application/json',
			body: () => deep(100_000)
		},
		{
			name: 'coordinate array of 10 M numbers',
			path: '/api/plan',
			type: 'application/json',
			body: coordinates
		},
		{
			name: '50 MB form body (sign-in)',
			path: '/signin?/signin',
			type: 'application/x-www-form-urlencoded',
			body: () => `username=${'a'.repeat(50 * 1048576)}`
		}
	];
	for (const c of cases) {
		const body = c.body();
		const rssBefore = rssBytes(server.process.pid);
		let peak = rssBefore;
		const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.process.pid))), 20);
		const result = await send(server.url, 'POST', c.path, headers(c.type), body, 20_000);
		clearInterval(sampler);
		peak = Math.max(peak, rssBytes(server.process.pid));
		const status = 'status' in result ? result.status : 0;
		const ms = 'ms' in result ? result.ms : NaN;
		const growth = peak - rssBefore;
		const size = Buffer.byteLength(body);
		// A refusal is a 4xx; a connection the server closed on the oversized upload counts as refused too.
		const refused =
			(status >= 400 && status < 500) ||
			('clientError' in result && /EPIPE|ECONNRESET|socket hang up/.test(result.clientError));
		const measured = `${'status' in result ? status : result.clientError} in ${Number.isNaN(ms) ? '—' : `${ms.toFixed(0)} ms`}, RSS +${mb(Math.max(0, growth))}`;
		table.add(
			'bad input',
			`${c.name} (${mb(size)}) refused`,
			backend,
			measured,
			'4xx, < 1,000 ms, RSS + < 64 MB',
			refused && (Number.isNaN(ms) || ms < 1000) && growth < 64 * 1048576 && alive(server.process)
		);
	}
}
