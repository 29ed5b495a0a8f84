import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { inRolledBackTransaction } from './database';
import type { AccessScope } from '../../src/lib/server/db/scope';
import { listImports, problemsReport } from '../../src/lib/features/intake/server/imports.server';
import { as, refusal } from './capture-support';
import { gb18030, importer, known, utf8 } from './intake-support';

describe('intake: the address register', () => {
	it('dry-runs a file (nothing written), commits it all at once, commits the same file again as no change, and rolls it back', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { scope, dry, commit, rollback } = importer(tx, k);
			const csv = [
				'所属社区,小区名称,楼幢,单元,门牌号,户籍人数,经度,纬度',
				`${k.community},${k.compound},${k.building},${k.unit},${k.room},${k.members + 2},,`,
				`${k.community},${k.compound},${k.free},1,101,3,${k.lng},${k.lat}`,
				`${k.community},${k.compound},${k.free},1,102,2,,`,
				`${k.community},${k.compound},${k.free},2,1201,4,,`,
				`${k.community},不存在的小区,1,1,101,3,,`,
				`${k.community},${k.compound},${k.free + 1},1,101,3,,`,
				`${k.community},${k.compound},${k.free},1,101,9,,`,
				`${k.community},${k.compound},${k.free},1,103,abc,,`
			].join('\r\n');
			const count = async () =>
				(
					await tx.query<{ h: number; b: number }>(
						'SELECT (SELECT count(*)::int FROM household) AS h, (SELECT count(*)::int FROM building) AS b'
					)
				)[0];
			const before = await count();
			const preview = await dry(
				{ name: '地址库.csv', bytes: utf8(csv) },
				{ datum: 'wgs84' },
				'zh-CN'
			);
			expect(preview.source).toEqual({ format: 'csv', encoding: 'utf-8' });
			expect(preview.batch.counts).toEqual({
				new: 3,
				updated: 1,
				unchanged: 0,
				rejected: 4,
				newBuildings: 1
			});
			expect(preview.problems.map((p) => [p.row, p.column, p.value])).toEqual([
				[6, 'B（小区名称）', '不存在的小区'],
				[7, 'C（楼幢）', String(k.free + 1)],
				[8, 'E（门牌号）', '101'],
				[9, 'F（户籍人数）', 'abc']
			]);
			expect(preview.problems[0].reason).toContain('没有这个小区');
			expect(preview.problems[2].reason).toBe('与第 3 行地址重复');
			expect(await count()).toEqual(before);

			const report = await as(tx, scope, () => problemsReport(tx, preview.batch.id, 'en'));
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(report.buffer as ArrayBuffer);
			const sheet = book.worksheets[0];
			expect(sheet.getRow(1).values).toEqual([undefined, 'Row', 'Column', 'Value', 'Reason']);
			expect(sheet.rowCount).toBe(5);
			expect(sheet.getRow(5).getCell(4).value).toBe('should be a whole number');

			const committed = await commit(preview.batch.id);
			expect(committed.status).toBe('committed');
			expect(await count()).toEqual({ h: before.h + 3, b: before.b + 1 });
			const [added] = await tx.query<{
				floors: number;
				households: number;
				grid: number | null;
				inside: boolean;
			}>(
				`SELECT b.floors, (SELECT count(*)::int FROM household WHERE building_id = b.id) AS households, b.grid_id AS grid,
				        ST_Equals(b.geom, ST_SetSRID(ST_MakePoint($3, $4), 4326)) AS inside
				 FROM building b JOIN compound cp ON cp.id = b.compound_id WHERE cp.name = $1 AND b.number = $2`,
				[k.compound, k.free, k.lng, k.lat]
			);
			expect(added).toMatchObject({ floors: 12, households: 3, inside: true });
			expect(added.grid).not.toBeNull();
			const [{ members }] = await tx.query<{ members: number }>(
				'SELECT members FROM household WHERE id = $1',
				[k.householdId]
			);
			expect(members).toBe(k.members + 2);
			// The rollup counts the new households in their grid.
			const [{ rollup, actual }] = await tx.query<{ rollup: number; actual: number }>(
				`SELECT (SELECT households_registered FROM grid_day WHERE grid_id = $1 AND day = $2::date) AS rollup,
				        (SELECT count(*)::int FROM household WHERE grid_id = $1) AS actual`,
				[added.grid, k.period.last]
			);
			expect(rollup).toBe(actual);

			// The same file again: nothing new, nothing written by its commit.
			const again = await dry(
				{ name: '地址库.csv', bytes: utf8(csv) },
				{ datum: 'wgs84' },
				'zh-CN'
			);
			expect(again.batch.counts).toMatchObject({ new: 0, updated: 0, unchanged: 4 });
			expect(again.sameFile?.id).toBe(preview.batch.id);
			await commit(again.batch.id);
			expect(await count()).toEqual({ h: before.h + 3, b: before.b + 1 });
			const twice = await refusal(commit(again.batch.id));
			expect(twice.status).toBe(409);

			const undone = await rollback(preview.batch.id);
			expect(undone.status).toBe('rolled_back');
			expect(await count()).toEqual(before);
			const [{ members: restored }] = await tx.query<{ members: number }>(
				'SELECT members FROM household WHERE id = $1',
				[k.householdId]
			);
			expect(restored).toBe(k.members);
			const list = await as(tx, scope, () => listImports(tx));
			expect(list.batches.slice(0, 2).map((b) => b.status)).toEqual(['committed', 'rolled_back']);
			const audit = await tx.query<{ action: string }>(
				`SELECT action FROM audit_log WHERE actor = 'intake-test' ORDER BY id`
			);
			expect(audit.map((a) => a.action)).toEqual([
				'import.dry_run',
				'import.commit',
				'import.dry_run',
				'import.commit',
				'import.rollback'
			]);
		});
	});

	it('reads GB18030 CSV and an XLSX with a merged title row; a new household in use stops its rollback; a grid scope cannot import', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry, commit, rollback } = importer(tx, k);
			const book = new ExcelJS.Workbook();
			const sheet = book.addWorksheet('地址');
			sheet.addRow(['白杨街道门牌地址库（2020年2月）']);
			sheet.mergeCells('A1:E1');
			sheet.addRow(['地址', '人数', '经度', '纬度', '备注']);
			sheet.addRow([`${k.compound}${k.free}幢1单元301室`, 2, k.lng, k.lat, '']);
			const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
			const preview = await dry({ name: 'register.xlsx', bytes: xlsx }, { datum: 'wgs84' }, 'en');
			expect(preview.source).toMatchObject({ format: 'xlsx', sheet: '地址' });
			expect(preview.batch.counts).toMatchObject({ new: 1, rejected: 0, newBuildings: 1 });
			await commit(preview.batch.id);
			const [h] = await tx.query<{ id: number; grid_id: number; community_id: number }>(
				`SELECT h.id, h.grid_id, h.community_id FROM household h JOIN building b ON b.id = h.building_id
				 JOIN compound cp ON cp.id = b.compound_id WHERE cp.name = $1 AND b.number = $2`,
				[k.compound, k.free]
			);
			await tx.query(
				`INSERT INTO person (subdistrict_id, household_id, name_masked, phone_masked, id_hash, origin, arrival_date, key_area)
				 VALUES ($1, $2, '张*', '138****0000', 'intake-test-hash', '浙江省', $3::date, false)`,
				[k.subdistrictId, h.id, k.period.last]
			);
			const refused = await refusal(rollback(preview.batch.id));
			expect(refused.status).toBe(409);
			expect(refused.body.message).toContain('人员 1 人');

			// GB18030 (what Excel saves as CSV on a Chinese Windows), with a GCJ-02 point declared as WGS84:
			// outside the jurisdiction, and the dry run says which datum fits.
			const [gx, gy] = gcoord.transform([k.lng, k.lat], gcoord.WGS84, gcoord.GCJ02);
			const gbk = gb18030(
				`小区,楼幢,室,人数,经度,纬度\r\n${k.compound},${k.free + 1},101,2,${gx},${gy}\r\n`
			);
			const shifted = await dry({ name: 'gbk.csv', bytes: gbk }, { datum: 'wgs84' }, 'zh-CN');
			expect(shifted.source).toEqual({ format: 'csv', encoding: 'gb18030' });
			expect(shifted.problems.map((p) => [p.row, p.reason])).toEqual([
				[2, `坐标不在“${k.compound}”小区内（相距超过 30 米）`]
			]);
			expect(shifted.datumHint).toBe('gcj02');
			const fixed = await dry({ name: 'gbk.csv', bytes: gbk }, { datum: 'gcj02' }, 'zh-CN');
			expect(fixed.batch.counts).toMatchObject({ new: 1, rejected: 0 });
			expect(fixed.datumHint).toBeNull();
			// The same compound name in another community: a row must say its community.
			await tx.query(
				`INSERT INTO compound (subdistrict_id, community_id, code, name, geom)
				 SELECT cp.subdistrict_id, (SELECT id FROM community WHERE name <> $2 ORDER BY id LIMIT 1), 'DUP-1', cp.name, cp.geom
				 FROM compound cp WHERE cp.name = $1`,
				[k.compound, k.community]
			);
			const twoNames = (community: string) =>
				utf8(
					`所属社区,小区,楼幢,单元,室,人数\n${community},${k.compound},${k.building},${k.unit},${k.room},${k.members}\n`
				);
			const ambiguous = await dry(
				{ name: 'a.csv', bytes: twoNames('') },
				{ datum: 'wgs84' },
				'zh-CN'
			);
			expect(ambiguous.problems.map((p) => [p.row, p.column])).toEqual([[2, 'B（小区）']]);
			expect(ambiguous.problems[0].reason).toContain('多个社区有同名小区');
			const named = await dry(
				{ name: 'a.csv', bytes: twoNames(k.community) },
				{ datum: 'wgs84' },
				'zh-CN'
			);
			expect(named.batch.counts).toMatchObject({ unchanged: 1, rejected: 0 });
			const grid: AccessScope = {
				subdistrictId: k.subdistrictId,
				personScope: 'grids',
				gridIds: [h.grid_id]
			};
			const denied = await tx
				.query('SAVEPOINT s')
				.then(() =>
					as(tx, grid, () =>
						tx.query(
							`INSERT INTO building (subdistrict_id, code, floors, geom) VALUES ($1, 'X-1', 1, ST_SetSRID(ST_MakePoint($2, $3), 4326))`,
							[k.subdistrictId, k.lng, k.lat]
						)
					)
				)
				.then(
					() => 'written',
					(e: Error) => e.message
				);
			await tx.query('ROLLBACK TO SAVEPOINT s');
			expect(denied).toMatch(/row-level security/);
		});
	});

	it('dry-runs the sample register in data/samples as the README says', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			const bytes = new Uint8Array(readFileSync('data/samples/address-register.csv'));
			const preview = await dry(
				{ name: 'address-register.csv', bytes },
				{ datum: 'wgs84' },
				'zh-CN'
			);
			expect(preview.source).toEqual({ format: 'csv', encoding: 'utf-8-bom' });
			expect(preview.batch.counts).toEqual({
				new: 3,
				updated: 1,
				unchanged: 1,
				rejected: 1,
				newBuildings: 1
			});
			expect(preview.ignored).toEqual(['备注']);
			expect(preview.problems.map((p) => [p.row, p.column])).toEqual([[7, 'A（小区名称）']]);
		});
	});

	it('rolls back in the order batches were committed, and matches a room without its unit when the building has one such room', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry, commit, rollback } = importer(tx, k);
			const file = (members: number) =>
				utf8(
					`小区,楼幢,单元,室,人数\n${k.compound},${k.building},${k.unit},${k.room},${members}\n`
				);
			const run = (bytes: Uint8Array) => dry({ name: 'x.csv', bytes }, { datum: 'wgs84' }, 'zh-CN');
			// A is dry-run first, B second; B commits first, A last: A is the later one.
			const a = await run(file(k.members + 1));
			const b = await run(file(k.members + 2));
			await commit(b.batch.id);
			const aCommitted = await commit(a.batch.id);
			expect(aCommitted.counts).toMatchObject({ updated: 1 });
			const refused = await refusal(rollback(b.batch.id));
			expect([refused.status, refused.body.message]).toEqual([
				409,
				`批次 ${b.batch.id} 的数据已被后来的批次 ${a.batch.id} 修改，请先撤销批次 ${a.batch.id}`
			]);
			await rollback(a.batch.id);
			await rollback(b.batch.id);
			const [{ members }] = await tx.query<{ members: number }>(
				'SELECT members FROM household WHERE id = $1',
				[k.householdId]
			);
			expect(members).toBe(k.members);

			// Without a unit column: the room is found when its building has it once, else the unit is asked for.
			const [counts] = await tx.query<{ rooms: number }>(
				`SELECT count(*)::int AS rooms FROM household WHERE building_id = (SELECT building_id FROM household WHERE id = $1)
				   AND ltrim(room, '0') = ltrim($2, '0')`,
				[k.householdId, k.room]
			);
			const noUnit = await run(
				utf8(`小区,楼幢,室,人数\n${k.compound},${k.building},${k.room},${k.members}\n`)
			);
			if (counts.rooms === 1) expect(noUnit.batch.counts).toMatchObject({ unchanged: 1, new: 0 });
			else {
				expect(noUnit.batch.counts).toMatchObject({ rejected: 1, new: 0 });
				expect(noUnit.problems[0].reason).toBe('该楼幢有多个单元都有此室号，请填写单元');
			}
			// A grid leader's scope deletes no household, even in its own grids.
			const [own] = await tx.query<{ grid: number }>(
				'SELECT grid_id AS grid FROM household WHERE id = $1',
				[k.householdId]
			);
			const grid: AccessScope = {
				subdistrictId: k.subdistrictId,
				personScope: 'grids',
				gridIds: [own.grid]
			};
			const deleted = await as(tx, grid, () =>
				tx.query<{ id: number }>('DELETE FROM household WHERE id = $1 RETURNING id', [
					k.householdId
				])
			).catch((e: Error) => e.message);
			expect(deleted).toEqual([]);
		});
	});
});
