import { describe, expect, inject, it } from 'vitest';
import { Client } from '../support/http';

// Every test here runs against the app on PGlite and, when TEST_DATABASE_URL is set (CI), on PostGIS.
const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

/**
 * What a user can send that is wrong: each gets a 4xx that says what and where, in both languages,
 * and never a server error. The sweep at the end sends the same kinds of wrong input to every API
 * route and action and checks that none of it reaches a 5xx.
 */
type Case = {
	who: string;
	method: 'GET' | 'POST' | 'PATCH';
	path: string;
	body?: string;
	status: number;
	says: RegExp;
};

const API_CASES: Case[] = [
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/areas?date=2020-02-30',
		status: 400,
		says: /参数 date 无效：2020-02-30 不是有效日期/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/summary?date=abc',
		status: 400,
		says: /参数 date 无效：格式应为 YYYY-MM-DD/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/layers/bogus',
		status: 404,
		says: /没有图层 bogus/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/layers/checkpoints?shift=noon',
		status: 400,
		says: /参数 shift 无效/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/grid-detail?grid=%00',
		status: 400,
		says: /参数 grid 无效：应为四位网格编码/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/trend?days=-1',
		status: 400,
		says: /参数 days 无效：应为 2 至 90 的整数/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/export?format=pdf',
		status: 400,
		says: /参数 format 无效/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/gaps?state=bogus',
		status: 400,
		says: /参数 state 无效/
	},
	{ who: 'demo-leader', method: 'GET', path: '/api/gaps/abc', status: 400, says: /事项编号无效/ },
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/report?date=2020-02-30',
		status: 400,
		says: /参数 date 无效/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/report.pdf?date=abc',
		status: 400,
		says: /参数 date 无效/
	},
	{
		who: 'demo-leader',
		method: 'GET',
		path: '/api/plan/scenarios/99999999999999999999/export?format=xlsx',
		status: 400,
		says: /方案编号无效/
	},
	{
		who: 'demo-grid',
		method: 'GET',
		path: '/api/staff?grid=%27',
		status: 400,
		says: /参数 grid 无效/
	},
	{
		who: 'demo-grid',
		method: 'POST',
		path: '/api/screenings',
		body: 'not json',
		status: 400,
		says: /请求体应为 JSON/
	},
	{
		who: 'demo-grid',
		method: 'POST',
		path: '/api/screenings',
		body: '{"personId":99999999999}',
		status: 400,
		says: /字段 personId 无效/
	},
	{
		who: 'demo-planner',
		method: 'POST',
		path: '/api/plan',
		body: '{"pool":[{"name":"a","people":1e308,"staging":"subdistrict"}]}',
		status: 400,
		says: /字段 pool\[1\]\.people 无效/
	},
	{
		who: 'demo-planner',
		method: 'POST',
		path: '/api/plan',
		body: '{"pool":[{"name":"a\\u0000","people":1,"staging":"subdistrict"}]}',
		status: 400,
		says: /字段 pool\[1\]\.name 无效：应为文字，不含控制字符/
	}
];

/** Form posts as a page sends them (or as something else does). */
type FormCase = {
	who: string | null;
	path: string;
	fields?: Record<string, string>;
	raw?: { type: string; body: string };
	status: number;
	says: RegExp;
};

const NOT_A_FORM = /请求内容不是表单/;
const FORM_CASES: FormCase[] = [
	// A body that is not a form, on every kind of action.
	{
		who: null,
		path: '/signin?/signin',
		raw: { type: 'text/plain', body: 'username=x' },
		status: 400,
		says: NOT_A_FORM
	},
	// JSON to an action SvelteKit refuses itself (415), said in words too.
	{
		who: 'demo-admin',
		path: '/admin/users?/create',
		raw: { type: 'application/json', body: '{"username":"x"}' },
		status: 415,
		says: /请求内容类型不受支持/
	},
	{
		who: 'demo-admin',
		path: '/admin/wall?/create',
		raw: { type: 'multipart/form-data; boundary=x', body: '--x\r\nbroken' },
		status: 400,
		says: NOT_A_FORM
	},
	{
		who: 'demo-admin',
		path: '/admin/gaps?/norms',
		raw: { type: 'text/plain', body: '' },
		status: 400,
		says: NOT_A_FORM
	},
	// Control characters and ids that are not ids.
	{
		who: null,
		path: '/signin?/signin',
		fields: { username: 'demo\u0000admin', password: 'whatever-long' },
		status: 400,
		says: /用户名或密码错误/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/create',
		fields: {
			username: 'new.user',
			displayName: '张\u0000三',
			role: 'grid_leader',
			password: 'a-long-enough-password-1',
			areas: '0502'
		},
		status: 400,
		says: /姓名应为不超过 80 字的文字，不含控制字符/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/create',
		fields: {
			username: 'new.user',
			displayName: '张三',
			role: 'grid_leader',
			password: 'a-long-enough-password-1',
			areas: '0502, 05x2'
		},
		status: 400,
		says: /范围编码 "05x2" 无效/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/create',
		fields: {
			username: 'New User!',
			displayName: '张三',
			role: 'leader',
			password: 'a-long-enough-password-1'
		},
		status: 400,
		says: /用户名只能含小写字母/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/rescope',
		fields: { id: 'abc', areas: '0502' },
		status: 404,
		says: /没有该用户/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/toggle',
		fields: { id: '99999999999999999999', disable: '1' },
		status: 404,
		says: /没有该用户/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/reset',
		fields: { id: '-3', password: 'a-long-enough-password-1' },
		status: 404,
		says: /没有该用户/
	},
	// A well-formed id of nobody: refused, and no audit entry claims it was done.
	{
		who: 'demo-admin',
		path: '/admin/users?/toggle',
		fields: { id: '987654', disable: '1' },
		status: 404,
		says: /没有该用户/
	},
	{
		who: 'demo-admin',
		path: '/admin/users?/reset',
		fields: { id: '987654', password: 'a-long-enough-password-1' },
		status: 404,
		says: /没有该用户/
	},
	{
		who: 'demo-admin',
		path: '/admin/wall?/revoke',
		fields: { idHash: 'x\u0000y' },
		status: 404,
		says: /没有该链接或已撤销/
	},
	{
		who: 'demo-admin',
		path: '/admin/wall?/create',
		fields: { label: '大屏\u0007', suppressBelow: '5' },
		status: 400,
		says: /名称应为不超过 80 字的文字，不含控制字符/
	}
];

async function signedIn(baseUrl: string, who: string | null): Promise<Client> {
	const client = new Client(baseUrl);
	if (who) await client.signInAsDemo(who);
	return client;
}

describe.each(BACKENDS)('bad input on $name', ({ url: baseUrl }) => {
	it("API: a 4xx naming the parameter or field, in the user's language only", async () => {
		const wrong: string[] = [];
		const clients = new Map<string, Client>();
		for (const c of API_CASES) {
			if (!clients.has(c.who)) clients.set(c.who, await signedIn(baseUrl, c.who));
			const response = await clients.get(c.who)!.request(c.path, {
				method: c.method,
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: c.body
			});
			const body = (await response.json()) as { message?: string };
			// Chinese only: never "中文 / English" joined.
			if (
				response.status !== c.status ||
				!c.says.test(body.message ?? '') ||
				/ \/ [A-Z]/.test(body.message ?? '')
			)
				wrong.push(`${c.method} ${c.path}: ${response.status} ${body.message}`);
		}
		// The same requests from a user who chose English (?lang=en, kept in a cookie): English only.
		for (const c of API_CASES) {
			const client = clients.get(c.who)!;
			if (!client.cookie.includes('lang=en')) await client.get('/signin?lang=en');
			const response = await client.request(c.path, {
				method: c.method,
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: c.body
			});
			const body = (await response.json()) as { message?: string };
			if (
				response.status !== c.status ||
				/\p{Script=Han}/u.test(body.message ?? '') ||
				!/^[A-Z]/.test(body.message ?? '')
			)
				wrong.push(`en ${c.method} ${c.path}: ${response.status} ${body.message}`);
		}
		expect(wrong).toEqual([]);
	});

	it('the language chosen once is kept through sign-in and on every page and refusal', async () => {
		const client = new Client(baseUrl);
		expect((await client.get('/signin?lang=en')).status).toBe(200);
		expect(client.cookie).toContain('lang=en');
		await client.signInAsDemo('demo-leader');
		for (const path of ['/', '/gaps', '/plan', '/wall']) {
			const html = await (await client.get(path)).text();
			expect(html, path).toMatch(/<html lang="en"/);
		}
		const refused = await client.get('/admin/users');
		expect(refused.status).toBe(403);
		const text = await refused.text();
		expect(text).toMatch(/Not allowed for your role/);
		expect(text).not.toMatch(/\p{Script=Han}/u);
		// Back to Chinese, kept as well.
		await client.get('/gaps?lang=zh');
		expect(await (await client.get('/gaps')).text()).toMatch(/<html lang="zh-CN"/);
	});

	it('a gap note with a control character is refused by name; the item is left as it was', async () => {
		const leader = await signedIn(baseUrl, 'demo-grid');
		const { items } = (await (await leader.get('/api/gaps?grid=0502')).json()) as {
			items: { id: number }[];
		};
		expect(items.length).toBeGreaterThan(0);
		const before = await (await leader.get(`/api/gaps/${items[0].id}`)).text();
		for (const note of ['已\u0000联系', '已\u009b联系']) {
			const response = await leader.request(`/api/gaps/${items[0].id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: baseUrl },
				body: JSON.stringify({ action: 'resolve', note })
			});
			expect(response.status).toBe(400);
			expect(((await response.json()) as { message: string }).message).toMatch(/字段 note 无效/);
		}
		expect(await (await leader.get(`/api/gaps/${items[0].id}`)).text()).toBe(before);
	});

	it('every answer carries a content security policy: pages allow only this site and a nonce for the start-up script, nothing may frame them (issue 16 item 9)', async () => {
		const leader = await signedIn(baseUrl, 'demo-leader');
		const admin = await signedIn(baseUrl, 'demo-admin');
		const anonymous = new Client(baseUrl);
		for (const [client, path] of [
			[anonymous, '/signin'],
			[leader, '/'],
			[leader, '/wall'],
			[leader, '/gaps'],
			[admin, '/admin/users']
		] as const) {
			const response = await client.get(path);
			expect(response.status, path).toBe(200);
			const policy = response.headers.get('content-security-policy') ?? '';
			const directives = Object.fromEntries(
				policy
					.split(';')
					.map((d) => d.trim().split(/\s+/))
					.map(([name, ...values]) => [name, values])
			);
			expect(directives['default-src'], `${path}: ${policy}`).toEqual(["'self'"]);
			expect(directives['frame-ancestors'], path).toEqual(["'none'"]);
			expect(directives['object-src'], path).toEqual(["'none'"]);
			// Only this site and the page's own nonce: no host, no 'unsafe-inline', no 'unsafe-eval' for scripts.
			expect(
				directives['script-src'].filter((v: string) => v !== "'self'" && !v.startsWith("'nonce-")),
				path
			).toEqual([]);
			const nonce = directives['script-src']
				.find((v: string) => v.startsWith("'nonce-"))
				?.slice(7, -1);
			expect(nonce, path).toBeTruthy();
			expect(await response.text(), path).toContain(`nonce="${nonce}"`);
			expect(response.headers.get('x-frame-options'), path).toBe('DENY');
		}
		for (const [client, path] of [
			[leader, '/api/summary'],
			[anonymous, '/api/summary'],
			[await signedIn(baseUrl, 'demo-grid'), '/admin/users']
		] as const) {
			const response = await client.get(path);
			expect(response.headers.get('content-security-policy'), path).toMatch(
				/default-src 'none'.*frame-ancestors 'none'/
			);
		}
	});

	it('sign-in never sends anyone off the site, whatever `next` says', async () => {
		for (const next of [
			'/\t/evil.example',
			'/\n',
			'/\\evil.example',
			'//evil.example',
			'https://evil.example/',
			'/..//evil.example/phish',
			'/a/../..//evil.example',
			'/.%2e//evil.example',
			'/..\\/evil.example',
			'/./\\evil.example'
		]) {
			const client = new Client(baseUrl);
			const response = await client.postForm('/signin?/demo', { username: 'demo-leader', next });
			expect(response.status, next).toBe(303);
			expect(response.headers.get('location'), next).toBe('/');
			// Signed in, the sign-in page itself redirects to `next`: also kept on the site.
			const again = await client.get(`/signin?next=${encodeURIComponent(next)}`);
			expect(again.status, next).toBe(303);
			expect(again.headers.get('location'), next).toBe('/');
		}
		const client = new Client(baseUrl);
		const local = await client.postForm('/signin?/demo', {
			username: 'demo-leader',
			next: '/gaps?state=live#top'
		});
		expect(local.headers.get('location')).toBe('/gaps?state=live#top');
	});

	it('malformed paths (undecodable escapes) get a 4xx or a redirect and the server keeps answering', async () => {
		// Each of these once stopped the process: the hook threw `redirect()` for an anonymous page
		// request where SvelteKit does not catch it. Built from every kind of broken escape, under
		// every page and API prefix, signed in and not.
		const escapes = [
			'%FF',
			'%zz',
			'%',
			'%C3',
			'%E4%B8',
			'%ED%A0%80',
			'%F8%88%80%80%80',
			'%C0%AF',
			'%FF%FE',
			'%%',
			'%2',
			'a%',
			'%G0'
		];
		for (let byte = 0x80; byte <= 0xff; byte += 7)
			escapes.push(`%${byte.toString(16).toUpperCase()}`);
		const prefixes = [
			'',
			'/admin',
			'/admin/users',
			'/grid',
			'/community',
			'/wall',
			'/plan',
			'/gaps',
			'/api',
			'/api/gaps',
			'/signin',
			'/report',
			'/_app'
		];
		const failures: string[] = [];
		let sent = 0;
		for (const who of [null, 'demo-grid']) {
			const client = await signedIn(baseUrl, who);
			for (const prefix of prefixes) {
				for (const escape of escapes) {
					for (const path of [`${prefix}/${escape}`, `${prefix}/x${escape}/y`]) {
						const response = await client.get(path);
						await response.arrayBuffer();
						sent++;
						if (response.status >= 500)
							failures.push(`${who ?? 'anonymous'} GET ${path} → ${response.status}`);
					}
				}
			}
		}
		expect(sent).toBeGreaterThan(1000);
		expect(failures).toEqual([]);
		// Still up: a real page answers after all of it.
		const after = await new Client(baseUrl).get('/signin');
		expect(after.status).toBe(200);
	});

	it('forms: a body that is not a form, control characters, ids that are not ids — refused in words, nothing written', async () => {
		const wrong: string[] = [];
		for (const c of FORM_CASES) {
			const client = await signedIn(baseUrl, c.who);
			const response = c.raw
				? await client.request(c.path, {
						method: 'POST',
						headers: { 'content-type': c.raw.type, accept: 'text/html', origin: baseUrl },
						body: c.raw.body
					})
				: await client.postForm(c.path, c.fields!);
			const text = await response.text();
			if (response.status !== c.status || !c.says.test(text))
				wrong.push(
					`${c.path} ${JSON.stringify(c.fields ?? c.raw).slice(0, 60)}: ${response.status} ${text
						.replace(/<[^>]+>/g, ' ')
						.replace(/\s+/g, ' ')
						.slice(0, 160)}`
				);
		}
		expect(wrong).toEqual([]);
		// The refused creations left no user behind.
		const admin = await signedIn(baseUrl, 'demo-admin');
		expect(await (await admin.get('/admin/users')).text()).not.toContain('new.user');
		expect(await (await admin.get('/admin/audit?action=user.')).text()).not.toContain('987654');
	});

	it('the audit log names a date that is not a calendar day instead of failing', async () => {
		const admin = await signedIn(baseUrl, 'demo-admin');
		const response = await admin.get('/admin/audit?from=2020-02-30&to=0000-01-01&action=%00sign');
		expect(response.status).toBe(200);
		expect(await response.text()).toMatch(
			/不是有效日期，未用于查询：from=2020-02-30，to=0000-01-01/
		);
	});

	it('sweep: wrong parameters and bodies on every route and action never get a server error', async () => {
		const paths = [
			'/api/areas',
			'/api/summary',
			'/api/layers/checkpoints',
			'/api/layers/observed',
			'/api/grid-detail',
			'/api/trend',
			'/api/trend/shift',
			'/api/places',
			'/api/export',
			'/api/persons',
			'/api/staff',
			'/api/gaps',
			'/api/gaps/1',
			'/api/gaps/1/records',
			'/api/screenings',
			'/api/plan',
			'/api/plan/scenarios',
			'/api/plan/scenarios/1',
			'/api/plan/scenarios/1/export',
			'/report',
			'/wall',
			'/grid/0502',
			'/community/330114002002',
			'/gaps',
			'/plan',
			'/admin/audit',
			'/admin/users'
		];
		const queries = [
			'?date=2020-13-45',
			'?grid=%00&community=%FF',
			'?days=1000000&level=x',
			'?q=' + 'x'.repeat(3000),
			'?format=bogus&shift=x',
			'?from=2020-02-30&to=x&actor=%00',
			'?scenes=bogus&duration=-3&stale=zz'
		];
		const bodies: [string, string][] = [
			['application/json', 'not json'],
			['application/json', 'null'],
			['application/json', '{"pool":"x","action":5,"name":{},"note":[],"personId":-1}'],
			['text/plain', '\u0000']
		];
		// Not the password sign-in: its failures count towards the address's throttle (access.test.ts
		// relies on none from 127.0.0.1); its control-character case above is refused before counting.
		const actions = [
			'/signin?/demo',
			'/admin/users?/create',
			'/admin/users?/toggle',
			'/admin/users?/rescope',
			'/admin/users?/reset',
			'/admin/wall?/create',
			'/admin/wall?/revoke',
			'/admin/gaps?/save',
			'/admin/gaps?/norms'
		];
		const nasty = ['\u0000', '\ud800', '1e999', '99999999999999999999', "' OR 1=1 --", '２４'];
		const failures: string[] = [];
		let sent = 0;
		for (const who of ['demo-admin', 'demo-grid', 'demo-planner']) {
			const client = await signedIn(baseUrl, who);
			for (const path of paths) {
				for (const query of queries) {
					const response = await client.get(path + query);
					sent++;
					await response.arrayBuffer();
					if (response.status >= 500)
						failures.push(`${who} GET ${path}${query.slice(0, 40)} → ${response.status}`);
				}
				for (const [type, body] of bodies) {
					const response = await client.request(path, {
						method: 'POST',
						headers: { 'content-type': type, origin: baseUrl },
						body
					});
					sent++;
					await response.arrayBuffer();
					if (response.status >= 500)
						failures.push(`${who} POST ${path} ${body.slice(0, 30)} → ${response.status}`);
				}
			}
		}
		const admin = await signedIn(baseUrl, 'demo-admin');
		const fields = [
			'username',
			'password',
			'displayName',
			'role',
			'areas',
			'id',
			'disable',
			'label',
			'suppressBelow',
			'idHash',
			'next',
			'returneeHours',
			'healthCheckBy',
			'serviceKinds',
			'reportCutoff',
			'screeningsPerWorker',
			'householdsPerWorker'
		];
		for (const action of actions) {
			for (const value of nasty) {
				const response = await admin.postForm(
					action,
					Object.fromEntries(fields.map((f) => [f, value]))
				);
				sent++;
				await response.arrayBuffer();
				if (response.status >= 500)
					failures.push(`POST ${action} all fields ${JSON.stringify(value)} → ${response.status}`);
			}
		}
		expect(sent).toBeGreaterThan(500);
		expect(failures).toEqual([]);
	});
});
