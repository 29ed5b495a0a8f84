/**
 * Benchmark: importing a 100,000-row returnee register (CSV) on the demo's data — read (parse,
 * decode, check every row, hash the ID numbers), dry run (find each household, match earlier
 * registrations, keep the batch), commit (insert the persons, keep them for a rollback, rebuild the
 * figures of the grids touched and the gap queue) — on PGlite and, with BENCH_DATABASE_URL, on
 * PostGIS; then its rollback. Baseline (the floor): a raw COPY of the same file into a bare table of
 * text columns on the same backend.
 *
 * Usage: npm run bench:import      (BENCH_IMPORT_ROWS, default 100000; BENCH_IMPORT_ONLY=postgis skips
 * PGlite)  Writes bench-results/import.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import { migrate } from '../../src/lib/server/db/migrate';
import { loadDemo } from '../../src/lib/server/demo/load';
import { TEST_SECRET } from '../../src/lib/server/secret';
import { withScope, type AccessScope } from '../../src/lib/server/db/scope';
import type { Db } from '../../src/lib/server/db/types';
import { loadGapSettings } from '../../src/lib/features/gaps/server/gaps.server';
import { idCheckCharacter } from '../../src/lib/features/capture/model/id-number';
import {
	commitImport,
	dryRunRead,
	readRegister,
	rollbackImport
} from '../../src/lib/features/intake/server/imports.server';
import { copySeededPglite } from '../support/seeded-pglite';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const CLOCK = Date.parse('2020-02-28T23:55:00+08:00');
const PERIOD = { first: '2020-01-20', last: '2020-02-28' };
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红'];
const ORIGINS = [
	'湖北省武汉市',
	'湖北省黄冈市',
	'河南省信阳市',
	'安徽省阜阳市',
	'江西省上饶市',
	'浙江省温州市',
	'上海市',
	'江苏省南京市'
];

/** A register as a community sends it: one returnee per row, placed by household code, every ID number valid and distinct. */
function register(codes: string[]): string {
	let seed = 42;
	const rand = (n: number) => {
		seed = (seed * 1103515245 + 12345) % 2_147_483_648;
		return seed % n;
	};
	const lines = ['姓名,身份证号,联系电话,来源地,返杭日期,户编码'];
	for (let i = 0; i < ROWS; i++) {
		// Distinct by birth date and sequence: a thousand people per birth day.
		const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000)));
		const id17 = `330106${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(i % 1000).padStart(3, '0')}`;
		const name =
			SURNAMES[rand(SURNAMES.length)] +
			GIVEN[rand(GIVEN.length)] +
			(rand(2) ? GIVEN[rand(GIVEN.length)] : '');
		const phone = `1${3 + rand(7)}${String(rand(1_000_000_000)).padStart(9, '0')}`;
		const day = new Date(Date.UTC(2020, 0, 20 + rand(40))).toISOString().slice(0, 10);
		lines.push(
			`${name},${id17}${idCheckCharacter(id17)},${phone},${ORIGINS[rand(ORIGINS.length)]},${day},${codes[i % codes.length]}`
		);
	}
	return lines.join('\r\n') + '\r\n';
}

const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
	const started = performance.now();
	const result = await work();
	return [result, Math.round(performance.now() - started)];
};

async function measure(db: Db, csv: Uint8Array, copy: () => Promise<number>) {
	const [{ id: subdistrictId }] = await db.query<{ id: number }>(
		`SELECT id FROM subdistrict WHERE code = '330114002'`
	);
	const [{ id: userId }] = await db.query<{ id: number }>(
		`WITH made AS (
		   INSERT INTO app_user (subdistrict_id, username, display_name, role, password_hash)
		   SELECT $1, 'bench-import', '导入基准', 'data_officer', 'x'
		   WHERE NOT EXISTS (SELECT 1 FROM app_user WHERE username = 'bench-import') RETURNING id)
		 SELECT id FROM made UNION ALL SELECT id FROM app_user WHERE username = 'bench-import'`,
		[subdistrictId]
	);
	const scope: AccessScope = { subdistrictId, personScope: 'all', gridIds: [] };
	const actor = { id: userId, username: 'bench-import', address: '127.0.0.1' };
	const context = {
		period: PERIOD,
		clock: CLOCK,
		secret: TEST_SECRET,
		settings: await loadGapSettings(db)
	};
	const options = { kind: 'returnees' as const, datum: 'wgs84' as const };
	const persons = async () =>
		(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
	const before = await persons();
	const [read, readMs] = await time(() =>
		readRegister({ name: 'bench.csv', bytes: csv }, options, context)
	);
	const [preview, dryRunMs] = await time(() =>
		withScope(db, scope, (tx) => dryRunRead(tx, scope, read, options, actor, 'zh-CN'))
	);
	if (preview.batch.counts.new !== ROWS)
		throw new Error(`dry run: ${JSON.stringify(preview.batch.counts)}`);
	const [, commitMs] = await time(() =>
		withScope(db, scope, (tx) => commitImport(tx, scope, preview.batch.id, actor, context))
	);
	const added = (await persons()) - before;
	if (added !== ROWS) throw new Error(`committed ${added} persons, not ${ROWS}`);
	const [, rollbackMs] = await time(() =>
		withScope(db, scope, (tx) => rollbackImport(tx, scope, preview.batch.id, actor, context))
	);
	if ((await persons()) !== before) throw new Error('the rollback left persons behind');
	const copyMs = await copy();
	const importMs = readMs + dryRunMs + commitMs;
	return {
		rows: ROWS,
		readMs,
		dryRunMs,
		commitMs,
		importMs,
		rowsPerSecond: Math.round((ROWS / importMs) * 1000),
		rollbackMs,
		baselineCopyMs: copyMs,
		baselineRowsPerSecond: Math.round((ROWS / copyMs) * 1000),
		ratioToCopy: Number((copyMs / importMs).toFixed(3))
	};
}

const BARE = `CREATE TABLE bench_copy (name text, id_number text, phone text, origin text, arrival text, household_code text)`;

export async function main(): Promise<number> {
	const results: Record<string, unknown> = {
		date: new Date().toISOString(),
		cpus: (await import('node:os')).cpus().length,
		rows: ROWS
	};
	const dir = await copySeededPglite('bench-import');
	const only = process.env.BENCH_IMPORT_ONLY;
	try {
		const pglite = await openPglite(dir);
		const codes = (
			await pglite.query<{ code: string }>('SELECT code FROM household ORDER BY id')
		).map((h) => h.code);
		const text = register(codes);
		const csv = new TextEncoder().encode(text);
		results.fileBytes = csv.length;
		let pgliteResult;
		try {
			pgliteResult = only === 'postgis' ? null : await measure(pglite, csv, async () => 0);
		} finally {
			await pglite.close();
		}
		// The floor on the same backend: the raw file COPYed into a bare table.
		const raw = pgliteResult && (await PGlite.create(dir, { extensions: { postgis } }));
		if (pgliteResult && raw)
			try {
				await raw.exec(BARE);
				const started = performance.now();
				await raw.query(`COPY bench_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], {
					blob: new Blob([text])
				});
				const copyMs = Math.round(performance.now() - started);
				const [{ n }] = (
					await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy')
				).rows;
				if (n !== ROWS) throw new Error(`COPY wrote ${n} rows`);
				results.pglite = {
					...pgliteResult,
					baselineCopyMs: copyMs,
					baselineRowsPerSecond: Math.round((ROWS / copyMs) * 1000),
					ratioToCopy: Number((copyMs / pgliteResult.importMs).toFixed(3))
				};
			} finally {
				await raw.close();
			}
		else results.pglite = 'skipped: BENCH_IMPORT_ONLY=postgis';
		const url = process.env.BENCH_DATABASE_URL;
		if (url) {
			const db = await openPostgres(url);
			try {
				await migrate(db);
				const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subdistrict');
				if (n === 0) await loadDemo(db, TEST_SECRET);
				results.postgis = await measure(db, csv, async () => {
					const sql = postgres(url, { max: 1, onnotice: () => {} });
					try {
						await sql.unsafe(`DROP TABLE IF EXISTS bench_copy; ${BARE}`);
						const started = performance.now();
						const writable =
							await sql`COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)`.writable();
						await pipeline(Readable.from([Buffer.from(text)]), writable);
						const ms = Math.round(performance.now() - started);
						const [{ n: copied }] = await sql<
							{ n: number }[]
						>`SELECT count(*)::int AS n FROM bench_copy`;
						if (copied !== ROWS) throw new Error(`COPY wrote ${copied} rows`);
						await sql`DROP TABLE bench_copy`;
						return ms;
					} finally {
						await sql.end();
					}
				});
			} finally {
				await db.close();
			}
		} else {
			results.postgis = 'skipped: set BENCH_DATABASE_URL to measure the PostGIS backend';
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/import.json', JSON.stringify(results, null, 2));
	console.log(JSON.stringify(results, null, 2));
	return 0;
}
