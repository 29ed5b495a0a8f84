import { describe, expect, inject, it } from 'vitest';
import { Client } from '../support/http';

// Every test here runs against the app on PGlite and, when TEST_DATABASE_URL is set (CI), on PostGIS.
const BACKENDS = [
	{ name: 'PGlite', url: inject('baseUrl') },
	...(inject('postgisBaseUrl') ? [{ name: 'PostGIS', url: inject('postgisBaseUrl') }] : [])
];

/**
 * The authorisation matrix: every page and API route, as anonymous and as each role (including a
 * grid leader of another grid). Expected status per route; person-level fields must not appear in
 * any response a role may not see. A new route joins by a line in ROUTES (and in guard.ts).
 */
type Who =
	| 'anonymous'
	| 'demo-leader'
	| 'demo-community'
	| 'demo-grid'
	| 'demo-grid-other'
	| 'demo-data'
	| 'demo-planner'
	| 'demo-admin';
const EVERYONE: Who[] = [
	'anonymous',
	'demo-leader',
	'demo-community',
	'demo-grid',
	'demo-grid-other',
	'demo-data',
	'demo-planner',
	'demo-admin'
];

// Grid 0502 lies in 邻里 (community 005), not in 大北 (002), so the community lead of 大北 is refused it.
const ROUTES: {
	path: string;
	expect: Record<Who, number>;
	/** Persons in a 200 are allowed (and checked masked): `persons` lists them; `pairs` the duplicate list's pairs (or an HTML page holding them). */
	personLevel?: boolean | 'pairs';
	tokenHashes?: boolean;
}[] = [
	{
		path: '/signin',
		expect: {
			anonymous: 200,
			'demo-leader': 303,
			'demo-community': 303,
			'demo-grid': 303,
			'demo-grid-other': 303,
			'demo-data': 303,
			'demo-planner': 303,
			'demo-admin': 303
		}
	},
	{
		path: '/',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/areas?level=grid',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/summary',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/layers/checkpoints?shift=night',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/layers/observed',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/layers/enterprises',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/grid-detail?grid=0502',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/trend?days=14',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/trend/shift?days=14&shift=night',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/wall',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/report?date=2020-02-27',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/places',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/export?format=csv',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/persons?grid=0502',
		personLevel: true,
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 200,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/addresses?grid=0502',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 200,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/service-tasks?grid=0502',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 200,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		// A household of 0502 with a registered member (the demo's ids are the same on every load).
		path: '/api/households/28878',
		personLevel: true,
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 404,
			'demo-grid': 200,
			'demo-grid-other': 404,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/daily-reports?community=330114002002&date=2020-02-28',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 200,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/persons?grid=0201',
		personLevel: true,
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 200,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/grid/0502',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 403,
			'demo-grid': 200,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/community/330114002002',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/gaps',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/plan',
		expect: {
			anonymous: 303,
			'demo-leader': 200,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/plan',
		expect: {
			anonymous: 401,
			'demo-leader': 405,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 405,
			'demo-admin': 405
		}
	},
	{
		path: '/api/plan/scenarios',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/plan/scenarios/0',
		expect: {
			anonymous: 401,
			'demo-leader': 400,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 400,
			'demo-admin': 400
		}
	},
	{
		path: '/api/plan/scenarios/0/export?format=xlsx',
		expect: {
			anonymous: 401,
			'demo-leader': 400,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 400,
			'demo-admin': 400
		}
	},
	{
		path: '/api/plan/scenarios/0/apply',
		expect: {
			anonymous: 401,
			'demo-leader': 405,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 405,
			'demo-admin': 405
		}
	},
	{
		path: '/api/gaps',
		expect: {
			anonymous: 401,
			'demo-leader': 200,
			'demo-community': 200,
			'demo-grid': 200,
			'demo-grid-other': 200,
			'demo-data': 200,
			'demo-planner': 200,
			'demo-admin': 200
		}
	},
	{
		path: '/api/gaps/0',
		expect: {
			anonymous: 401,
			'demo-leader': 400,
			'demo-community': 400,
			'demo-grid': 400,
			'demo-grid-other': 400,
			'demo-data': 400,
			'demo-planner': 400,
			'demo-admin': 400
		}
	},
	{
		path: '/api/gaps/0/records',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 400,
			'demo-grid': 400,
			'demo-grid-other': 400,
			'demo-data': 400,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/shifts/0',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 405,
			'demo-grid': 405,
			'demo-grid-other': 405,
			'demo-data': 405,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/api/staff?grid=0502',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 200,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 403
		}
	},
	{
		path: '/admin/users',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	// Lists wall-screen links by the hash of their token (`idHash`), which is not a person's.
	{
		path: '/admin/wall',
		tokenHashes: true,
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/admin/key-areas',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	// Data intake: data officers and administrators only.
	{
		path: '/import',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/api/imports',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/import/duplicates',
		personLevel: 'pairs',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/api/duplicates',
		personLevel: 'pairs',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 200,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/api/imports/0/report',
		expect: {
			anonymous: 401,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 404,
			'demo-planner': 403,
			'demo-admin': 404
		}
	},
	{
		path: '/admin/gaps',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/admin/audit',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 200
		}
	},
	{
		path: '/some/unlisted/route',
		expect: {
			anonymous: 303,
			'demo-leader': 403,
			'demo-community': 403,
			'demo-grid': 403,
			'demo-grid-other': 403,
			'demo-data': 403,
			'demo-planner': 403,
			'demo-admin': 404
		}
	}
];

/** Fields that only person-level responses carry. */
const PERSON_FIELDS = /nameMasked|phoneMasked|id_hash|idHash|"\d{3}\*{4}\d{4}"/;

describe.each(BACKENDS)('authorisation matrix on $name', ({ url: baseUrl }) => {
	for (const who of EVERYONE) {
		it(`as ${who}`, async () => {
			const client = new Client(baseUrl);
			if (who !== 'anonymous') await client.signInAsDemo(who);
			const mismatches: string[] = [];
			for (const route of ROUTES) {
				const response = await client.get(route.path);
				const body = await response.text();
				if (response.status !== route.expect[who])
					mismatches.push(`${route.path}: ${response.status}, expected ${route.expect[who]}`);
				const leaks = PERSON_FIELDS.test(
					route.tokenHashes ? body.replace(/"?idHash"?/g, '') : body
				);
				if (leaks && !(route.personLevel && response.status === 200))
					mismatches.push(`${route.path}: person-level fields in a response ${who} may not see`);
				if (route.personLevel === 'pairs' && response.status === 200) {
					// Every masked name shown is masked (the page holds the same list as the API).
					for (const name of body.matchAll(/"?nameMasked"?:"([^"]*)"/g))
						if (!/\*/.test(name[1])) mismatches.push(`${route.path}: unmasked ${name[1]}`);
				} else if (route.personLevel && response.status === 200) {
					const persons = JSON.parse(body).persons as { nameMasked: string; phoneMasked: string }[];
					if (persons.length === 0) mismatches.push(`${route.path}: no persons returned`);
					for (const p of persons)
						if (!/\*/.test(p.nameMasked) || !/^\d{3}\*{4}\d{4}$/.test(p.phoneMasked))
							mismatches.push(`${route.path}: unmasked ${p.nameMasked} ${p.phoneMasked}`);
				}
			}
			expect(mismatches).toEqual([]);
		});
	}
});

describe.each(BACKENDS)('sessions on $name', ({ url: baseUrl }) => {
	it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ (Secure and __Host- only over HTTPS)', async () => {
		const client = new Client(baseUrl);
		const response = await client.signInAsDemo('demo-leader');
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('gw_session='));
		expect(cookie).toBeDefined();
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\//i);
		expect(cookie).not.toMatch(/; Secure/i);
	});

	it('kills the session on the server at sign-out: the old cookie no longer works', async () => {
		const client = new Client(baseUrl);
		await client.signInAsDemo('demo-grid');
		const stolen = client.cookie;
		expect((await client.get('/api/summary')).status).toBe(200);
		const out = await client.postForm('/signout', {});
		expect(out.status).toBe(303);
		const replay = new Client(baseUrl);
		replay.cookie = stolen;
		expect((await replay.get('/api/summary')).status).toBe(401);
	});

	it('refuses a state-changing request from another origin', async () => {
		const client = new Client(baseUrl);
		await client.signInAsDemo('demo-admin');
		const response = await client.postForm('/signout', {}, 'http://evil.example');
		expect(response.status).toBe(403);
		expect((await client.get('/api/summary')).status).toBe(200);
	});

	it('audits person-level reads and sign-ins, searchable by an administrator', async () => {
		const reader = new Client(baseUrl);
		await reader.signInAsDemo('demo-grid');
		expect((await reader.get('/api/persons?grid=0502')).status).toBe(200);
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const page = await (await admin.get('/admin/audit?actor=demo-grid&action=person.read')).text();
		expect(page).toContain('person.read');
		// In words: the action, the grid read and how many people, never raw JSON.
		expect(page).toContain('查看人员名单');
		expect(page).toContain('网格 0502');
		expect(page).toMatch(/data-testid="audit-detail"[^>]*>人员：\d+ 项</);
	});
});

describe.each(BACKENDS)('wall-screen links on $name', ({ url: baseUrl }) => {
	it('give aggregates only, withhold small counts on the server, and stop working when revoked', async () => {
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const created = await (
			await admin.postForm('/admin/wall?/create', { label: '指挥中心大屏', suppressBelow: '5' })
		).text();
		const token = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)?.[1];
		expect(token).toBeDefined();
		// The link opens the wall, not the desk map.
		expect(created).toContain(`/wall?wall_token=${token}`);
		expect(created).not.toContain(`/?wall_token=`);

		const wall = new Client(baseUrl);
		const areas = await wall.get(`/api/areas?level=grid&date=2020-02-28&wall_token=${token}`);
		expect(areas.status).toBe(200);
		const body = await areas.json();
		expect(body.suppressBelow).toBe(5);
		let withheld = 0;
		for (const feature of body.features) {
			for (const [key, value] of Object.entries(feature.properties)) {
				// Counts of people are withheld; shift-hours, posts and gap items count no one.
				// The others are rounded down to a multiple of 5 (tests/e2e/wall-disclosure.test.ts tries to undo it).
				if (
					typeof value === 'number' &&
					key !== 'areaKm2' &&
					!/Hours|checkpointsOpen|openGaps/.test(key)
				)
					expect(
						value === 0 || (value >= 5 && value % 5 === 0),
						`${feature.id} ${key}=${value}`
					).toBe(true);
			}
			withheld += feature.properties.suppressed.length;
		}
		expect(withheld).toBeGreaterThan(0);
		// The link is remembered in a cookie: later requests need no token in the address.
		expect((await wall.get('/api/summary')).status).toBe(200);
		expect((await wall.get('/api/persons?grid=0502')).status).toBe(401);
		expect((await wall.get('/admin/users')).status).toBe(303);
		// Layers on a wall: observed-household hexagons and compound counts are withheld below k too; exports need a user.
		const hexagons = (await (await wall.get('/api/layers/observed?date=2020-02-05')).json())
			.hexagons as { households: number | null }[];
		expect(hexagons.some((h) => h.households === null)).toBe(true);
		expect(
			hexagons.every((h) => h.households === null || (h.households >= 5 && h.households % 5 === 0))
		).toBe(true);
		const detail = await (await wall.get('/api/grid-detail?grid=0202&date=2020-02-10')).json();
		for (const c of detail.compounds)
			expect(
				c.properties.observedHouseholds === null ||
					c.properties.observedHouseholds === 0 ||
					(c.properties.observedHouseholds >= 5 && c.properties.observedHouseholds % 5 === 0)
			).toBe(true);
		expect((await wall.get('/api/export?format=csv')).status).toBe(401);
		// The daily report prints exact counts: signed-in users only.
		expect((await wall.get('/report')).status).toBe(303);
		expect((await wall.get('/report.pdf')).status).toBe(303);
		expect((await wall.get('/wall')).status).toBe(200);
		// The desk map (whose exports need a user) sends a wall session to the wall; so does a link of the old form.
		const desk = await wall.get('/');
		expect(desk.status).toBe(303);
		expect(desk.headers.get('location')).toBe('/wall');
		const oldLink = await new Client(baseUrl).get(`/?wall_token=${token}`);
		expect(oldLink.status).toBe(303);
		expect(oldLink.headers.get('location')).toBe('/wall');
		const wallDetail = await (await wall.get('/api/grid-detail?grid=0202&date=2020-02-10')).json();
		expect(wallDetail.buildings).toEqual([]);

		const list = await (await admin.get('/admin/wall')).text();
		const idHash = [...list.matchAll(/name="idHash" value="([0-9a-f]{64})"/g)].map((m) => m[1])[0];
		expect((await admin.postForm('/admin/wall?/revoke', { idHash })).status).toBe(200);
		expect((await wall.get('/api/summary')).status).toBe(401);
		const audit = await (await admin.get('/admin/audit?action=wall_token')).text();
		expect(audit).toContain('wall_token.create');
		expect(audit).toContain('wall_token.revoke');
	});
});

describe.each(BACKENDS)('user administration on $name', ({ url: baseUrl }) => {
	it('adds a scoped user who can sign in with a password; disabling and resetting end their sessions; bad input is named', async () => {
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const username = `gl-${Date.now().toString(36)}`;
		const password = 'walk the grid every morning';

		const badName = await (
			await admin.postForm('/admin/users?/create', {
				username: 'X!',
				displayName: '测试',
				role: 'grid_leader',
				areas: '0502',
				password
			})
		).text();
		expect(badName).toContain('用户名只能含小写字母');
		const shortPassword = await (
			await admin.postForm('/admin/users?/create', {
				username,
				displayName: '测试',
				role: 'grid_leader',
				areas: '0502',
				password: 'short'
			})
		).text();
		expect(shortPassword).toContain('密码至少 10 个字符');
		const unknownGrid = await (
			await admin.postForm('/admin/users?/create', {
				username,
				displayName: '测试',
				role: 'grid_leader',
				areas: '9999',
				password
			})
		).text();
		expect(unknownGrid).toContain('未知的网格编码：9999');
		const noScope = await (
			await admin.postForm('/admin/users?/create', {
				username,
				displayName: '测试',
				role: 'grid_leader',
				areas: '',
				password
			})
		).text();
		expect(noScope).toContain('该角色需要指定范围');

		const created = await admin.postForm('/admin/users?/create', {
			username,
			displayName: '测试网格长',
			role: 'grid_leader',
			areas: '0502',
			password
		});
		expect(created.status).toBe(200);
		expect(await created.text()).toContain(`已创建用户 ${username}`);

		const leader = new Client(baseUrl);
		const signin = await leader.postForm('/signin?/signin', { username, password, next: '/' });
		expect(signin.status).toBe(303);
		expect((await leader.get('/api/persons?grid=0502')).status).toBe(200);
		expect((await leader.get('/api/persons?grid=1203')).status).toBe(403);

		const page = await (await admin.get('/admin/users')).text();
		const id = page.match(new RegExp(`data-user="${username}" data-user-id="(\\d+)"`))?.[1];
		expect(id).toBeDefined();
		expect((await admin.postForm('/admin/users?/toggle', { id: id!, disable: '1' })).status).toBe(
			200
		);
		expect((await leader.get('/api/summary')).status).toBe(401);
		// (That a disabled user cannot sign in again is tested in tests/db/signin.test.ts: a failed
		// sign-in here would count against this address's throttle.)

		expect((await admin.postForm('/admin/users?/toggle', { id: id!, disable: '0' })).status).toBe(
			200
		);
		const again = new Client(baseUrl);
		expect(
			(await again.postForm('/signin?/signin', { username, password, next: '/' })).status
		).toBe(303);
		expect(
			(await admin.postForm('/admin/users?/reset', { id: id!, password: 'a brand new passphrase' }))
				.status
		).toBe(200);
		expect((await again.get('/api/summary')).status).toBe(401);

		const rescoped = await admin.postForm('/admin/users?/rescope', { id: id!, areas: '1203' });
		expect(rescoped.status).toBe(200);
		const moved = new Client(baseUrl);
		expect(
			(
				await moved.postForm('/signin?/signin', {
					username,
					password: 'a brand new passphrase',
					next: '/'
				})
			).status
		).toBe(303);
		expect((await moved.get('/api/persons?grid=1203')).status).toBe(200);
		expect((await moved.get('/api/persons?grid=0502')).status).toBe(403);

		const audit = await (await admin.get(`/admin/audit?action=user.`)).text();
		for (const action of [
			'user.create',
			'user.disable',
			'user.enable',
			'user.password_reset',
			'user.rescope'
		])
			expect(audit).toContain(action);
	});
});

/** Opens /api/events as `client`; `ended` resolves with the milliseconds from `mark()` to the server closing the stream. */
async function openStream(client: Client) {
	const response = await client.request('/api/events');
	expect(response.status).toBe(200);
	const reader = response.body!.getReader();
	let text = '';
	let markedAt = 0;
	const ended = (async () => {
		const decoder = new TextDecoder();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return performance.now() - markedAt;
			text += decoder.decode(value, { stream: true });
		}
	})();
	await expect.poll(() => text.includes('event: hello'), { timeout: 10_000 }).toBe(true);
	return {
		ended,
		mark: () => (markedAt = performance.now()),
		cancel: () => reader.cancel().catch(() => undefined)
	};
}

/** Resolves with the stream's closing time, or rejects if it is still open after `ms`. */
const closesWithin = (stream: { ended: Promise<number> }, ms: number) =>
	Promise.race([
		stream.ended,
		new Promise<number>((_, reject) =>
			setTimeout(() => reject(new Error(`stream still open after ${ms} ms`)), ms)
		)
	]);

describe.each(BACKENDS)('open event streams on $name (issue 16 item 7)', ({ url: baseUrl }) => {
	it('close at once when the wall link is revoked, the user signs out or is disabled; other streams stay open', async () => {
		const admin = new Client(baseUrl);
		await admin.signInAsDemo('demo-admin');
		const created = await (
			await admin.postForm('/admin/wall?/create', {
				label: `撤销测试-${Date.now()}`,
				suppressBelow: '5'
			})
		).text();
		const token = created.match(/wall_token=(wall_[A-Za-z0-9_-]+)/)![1];
		const wall = new Client(baseUrl);
		expect((await wall.get(`/wall?wall_token=${token}`)).status).toBe(200);
		const wallStream = await openStream(wall);
		// A bystander: another session, which nothing here revokes.
		const bystander = new Client(baseUrl);
		await bystander.signInAsDemo('demo-leader');
		const bystanderStream = await openStream(bystander);

		const list = await (await admin.get('/admin/wall')).text();
		const idHash = [...list.matchAll(/name="idHash" value="([0-9a-f]{64})"/g)].map((m) => m[1])[0];
		wallStream.mark();
		expect((await admin.postForm('/admin/wall?/revoke', { idHash })).status).toBe(200);
		expect(await closesWithin(wallStream, 2000)).toBeLessThan(2000);
		expect((await wall.get('/api/events')).status).toBe(401);

		const leader = new Client(baseUrl);
		await leader.signInAsDemo('demo-leader');
		const leaderStream = await openStream(leader);
		leaderStream.mark();
		expect((await leader.postForm('/signout', {})).status).toBe(303);
		expect(await closesWithin(leaderStream, 2000)).toBeLessThan(2000);

		// An administrator disables a user: every stream of theirs closes.
		const username = `stream-${Date.now().toString(36)}`;
		const password = 'watch the wall all night';
		expect(
			(
				await admin.postForm('/admin/users?/create', {
					username,
					displayName: '测试',
					role: 'leader',
					areas: '',
					password
				})
			).status
		).toBe(200);
		const user = new Client(baseUrl);
		expect((await user.postForm('/signin?/signin', { username, password, next: '/' })).status).toBe(
			303
		);
		const userStream = await openStream(user);
		const page = await (await admin.get('/admin/users')).text();
		const id = page.match(new RegExp(`data-user="${username}" data-user-id="(\\d+)"`))![1];
		userStream.mark();
		expect((await admin.postForm('/admin/users?/toggle', { id, disable: '1' })).status).toBe(200);
		expect(await closesWithin(userStream, 2000)).toBeLessThan(2000);

		await expect(closesWithin(bystanderStream, 500)).rejects.toThrow(/still open/);
		await bystanderStream.cancel();
	});
});

// Last in the file: ten failures from 127.0.0.1 also throttle that address for 15 minutes.
describe.each(BACKENDS)('sign-in throttling on $name', ({ url: baseUrl }) => {
	it('throttles an account after 10 failed sign-ins in 15 minutes, with a clear wait message', async () => {
		// Needs a database without failed sign-ins from this address in the last 15 minutes (CI's are fresh).
		const client = new Client(baseUrl);
		const statuses: number[] = [];
		const username = `throttle-${Date.now()}`;
		for (let i = 0; i < 11; i++) {
			const response = await client.postForm('/signin?/signin', {
				username,
				password: `wrong-password-${i}`,
				next: '/'
			});
			statuses.push(response.status);
			if (i === 10) expect(await response.text()).toContain('分钟后再试');
		}
		expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
		expect(statuses[10]).toBe(429);
	});
});
