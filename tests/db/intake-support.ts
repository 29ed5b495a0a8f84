import type { AccessScope } from '../../src/lib/server/db/scope';
import type { Queryable } from '../../src/lib/server/db/types';
import { TEST_SECRET } from '../../src/lib/server/secret';
import {
	commitImport,
	dryRun,
	rollbackImport,
	type ImportOptions
} from '../../src/lib/features/intake/server/imports.server';
import { as } from './capture-support';
import { loadGapSettings } from '../../src/lib/features/gaps/server/gaps.server';

export interface Known {
	subdistrictId: number;
	compound: string;
	community: string;
	building: number;
	householdId: number;
	unit: number | null;
	room: string;
	members: number;
	/** An unused building number in the compound, and a point inside the compound. */
	free: number;
	lng: number;
	lat: number;
	period: { first: string; last: string };
}

export async function known(
	tx: Queryable
): Promise<Known & { actor: { id: number; username: string; address: string } }> {
	const [k] = await tx.query<Known>(
		`SELECT cp.subdistrict_id AS "subdistrictId", cp.name AS compound, c.name AS community, b.number AS building,
		        h.id AS "householdId", h.unit, h.room, h.members,
		        (SELECT max(number) + 1 FROM building WHERE compound_id = cp.id) AS free,
		        ST_X(ST_PointOnSurface(cp.geom)) AS lng, ST_Y(ST_PointOnSurface(cp.geom)) AS lat,
		        json_build_object('first', (SELECT min(day)::text FROM grid_day), 'last', (SELECT max(day)::text FROM grid_day)) AS period
		 FROM household h JOIN building b ON b.id = h.building_id JOIN compound cp ON cp.id = b.compound_id
		 JOIN community c ON c.id = cp.community_id
		 WHERE h.unit IS NOT NULL AND (SELECT count(*) FROM compound o WHERE o.name = cp.name) = 1
		 ORDER BY h.id LIMIT 1`
	);
	const [user] = await tx.query<{ id: number }>(
		`INSERT INTO app_user (subdistrict_id, username, display_name, role, password_hash) VALUES ($1, 'intake-test', '导入测试', 'data_officer', 'x') RETURNING id`,
		[k.subdistrictId]
	);
	return { ...k, actor: { id: user.id, username: 'intake-test', address: '127.0.0.1' } };
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** Text in GB18030: ASCII as is, each other character by its two-byte code (found by decoding them all). */
let gbCodes: Map<string, [number, number]> | null = null;
export function gb18030(text: string): Uint8Array {
	if (!gbCodes) {
		gbCodes = new Map();
		const decoder = new TextDecoder('gb18030');
		for (let a = 0x81; a <= 0xfe; a++)
			for (let b = 0x40; b <= 0xfe; b++) {
				if (b === 0x7f) continue;
				const ch = decoder.decode(new Uint8Array([a, b]));
				if (ch.length === 1 && !gbCodes.has(ch)) gbCodes.set(ch, [a, b]);
			}
	}
	return new Uint8Array(
		[...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : gbCodes!.get(ch)!))
	);
}

/**
 * An import as a data officer runs it (a whole-subdistrict scope, the clock at noon of the data
 * period's last day): `dry` dry-runs a file, of the address register unless `options` says;
 * `commit` and `rollback` a batch.
 */
export function importer(
	tx: Queryable,
	k: Known & { actor: { id: number; username: string; address: string } }
) {
	const scope: AccessScope = { subdistrictId: k.subdistrictId, personScope: 'all', gridIds: [] };
	const context = { period: k.period, clock: Date.parse(`${k.period.last}T12:00:00+08:00`) };
	const dry = (
		file: { name: string; bytes: Uint8Array },
		options: Partial<ImportOptions> = {},
		lang: 'zh-CN' | 'en' = 'zh-CN'
	) =>
		as(tx, scope, () =>
			dryRun(
				tx,
				scope,
				file,
				{ kind: 'address_register', datum: 'wgs84', ...options },
				k.actor,
				lang,
				{ ...context, secret: TEST_SECRET }
			)
		);
	// The gap rules' settings are read as the server reads them, before the request's scope.
	const write = async () => ({ ...context, settings: await loadGapSettings(tx) });
	const commit = async (id: number) => {
		const c = await write();
		return as(tx, scope, () => commitImport(tx, scope, id, k.actor, c));
	};
	const rollback = async (id: number) => {
		const c = await write();
		return as(tx, scope, () => rollbackImport(tx, scope, id, k.actor, c));
	};
	return { scope, context, dry, commit, rollback };
}
