import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { inRolledBackTransaction } from './database';
import type { Queryable } from '../../src/lib/server/db/types';
import { TEST_SECRET, hashIdNumber } from '../../src/lib/server/secret';
import { idNumber, refusal } from './capture-support';
import { gb18030, importer, known, utf8 } from './intake-support';

/** Three households of the test's compound: one named by columns, one by its code, one by a 地址 text. */
async function households(tx: Queryable, compound: string) {
	return tx.query<{
		id: number;
		code: string;
		building: number;
		unit: number;
		room: string;
		gridId: number;
	}>(
		`SELECT h.id, h.code, b.number AS building, h.unit, h.room, h.grid_id AS "gridId"
		 FROM household h JOIN building b ON b.id = h.building_id JOIN compound cp ON cp.id = b.compound_id
		 WHERE cp.name = $1 AND h.unit IS NOT NULL ORDER BY h.id LIMIT 3`,
		[compound]
	);
}

const minusDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

describe('intake: the returnee register', () => {
	it('dry-runs (rows refused with row, column and reason; ID numbers never shown whole), commits persons that count in the rollup and the gap queue, the same file again changes nothing, and rolls back', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry, commit, rollback } = importer(tx, k);
			const [a, b, c] = await households(tx, k.compound);
			/** The rollback's refusal (status, words) once `sql` has written a record; the record is then taken back. */
			const refusedAfter = async (sql: string, params: unknown[], batchId: number) => {
				await tx.query('SAVEPOINT record');
				await tx.query(sql, params);
				const refused = await refusal(rollback(batchId));
				await tx.query('ROLLBACK TO SAVEPOINT record');
				return [refused.status, refused.body.message];
			};
			const arrived = minusDays(k.period.last, 2);
			const badCheck = idNumber(903).slice(0, 17) + (idNumber(903).endsWith('0') ? '1' : '0');
			const csv = [
				'姓名,身份证号,联系电话,来源地,返杭日期,户编码,小区,楼幢,单元,门牌号,地址',
				`张三丰,${idNumber(901)},138 0013 8000,湖北省武汉市江岸区,${arrived},,${k.compound},${a.building},${a.unit},${a.room},`,
				`李四,${idNumber(902)},,河南省信阳市,${arrived.replace(/-/g, '/')},${b.code},,,,,`,
				`王五,${idNumber(904)},13900139000,安徽省阜阳市,${arrived.replace(/-/g, '')},,,,,,${k.compound}${c.building}幢${c.unit}单元${c.room}室`,
				`赵六,${badCheck},13900139001,安徽省,${arrived},${b.code},,,,,`,
				`钱七,${idNumber(901)},13900139002,安徽省,${arrived},${b.code},,,,,`,
				`孙八,${idNumber(905)},1234,安徽省,${arrived},${b.code},,,,,`,
				`周九,${idNumber(906)},,安徽省,2099-01-01,${b.code},,,,,`,
				`吴十,${idNumber(907)},,安徽省,2019-01-01,${b.code},,,,,`,
				`郑一,${idNumber(908)},,安徽省,${arrived},NOPE-1,,,,,`,
				`冯二,${idNumber(909)},,安徽省,${arrived},,不存在的小区,1,1,101,`,
				`,${idNumber(910)},,安徽省,${arrived},${b.code},,,,,`
			].join('\r\n');
			const persons = async () =>
				(await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
			const before = await persons();
			const preview = await dry(
				{ name: '返杭人员.csv', bytes: utf8(csv) },
				{ kind: 'returnees' },
				'zh-CN'
			);
			expect(preview.batch.kind).toBe('returnees');
			expect(preview.batch.counts).toEqual({
				new: 3,
				updated: 0,
				unchanged: 0,
				rejected: 8,
				newBuildings: 0
			});
			expect(preview.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
				[5, 'B（身份证号）', '身份证号校验位不对，请核对每一位'],
				[6, 'B（身份证号）', '与第 2 行的身份证号重复'],
				[7, 'C（联系电话）', '应为 11 位手机号'],
				[8, 'E（返杭日期）', `晚于今天（${k.period.last}）`],
				[9, 'E（返杭日期）', `早于数据期的第一天（${k.period.first}）`],
				[10, 'F（户编码）', '辖区内没有这个户编码'],
				[11, 'J（门牌号）', '门牌地址库里没有这个地址（新住户请先导入门牌地址库）'],
				[12, 'A（姓名）', '必填，此处为空']
			]);
			// The check digit's own words, as the form says them; the number itself masked.
			expect(preview.problems[0].value).toBe(`110105********${badCheck.slice(-4)}`);
			// No ID number, name or phone is kept whole in the batch.
			const [kept] = await tx.query<{ text: string }>(
				'SELECT rows::text || errors::text AS text FROM import_batch WHERE id = $1',
				[preview.batch.id]
			);
			for (const secret of [idNumber(901), idNumber(902), badCheck, '张三丰', '13800138000'])
				expect(kept.text).not.toContain(secret);
			expect(await persons()).toBe(before);

			await tx.query(
				`INSERT INTO key_area (subdistrict_id, origin) VALUES ($1, '湖北省') ON CONFLICT DO NOTHING`,
				[k.subdistrictId]
			);
			const committed = await commit(preview.batch.id);
			expect(committed.counts).toMatchObject({ new: 3, rejected: 8 });
			expect(await persons()).toBe(before + 3);
			const added = await tx.query<{
				household: number;
				grid: number;
				name: string;
				phone: string | null;
				keyArea: boolean;
				arrival: string;
			}>(
				`SELECT household_id AS household, grid_id AS grid, name_masked AS name, phone_masked AS phone,
				        key_area AS "keyArea", arrival_date::text AS arrival
				 FROM person WHERE id_hash = ANY ($1::text[]) ORDER BY id`,
				[[901, 902, 904].map((n) => hashIdNumber(TEST_SECRET, idNumber(n)))]
			);
			expect(added).toEqual([
				{
					household: a.id,
					grid: a.gridId,
					name: '张*丰',
					phone: '138****8000',
					keyArea: true,
					arrival: arrived
				},
				{
					household: b.id,
					grid: b.gridId,
					name: '李*',
					phone: null,
					keyArea: false,
					arrival: arrived
				},
				{
					household: c.id,
					grid: c.gridId,
					name: '王*',
					phone: '139****9000',
					keyArea: false,
					arrival: arrived
				}
			]);
			// The rollup counts them as due for screening in their grid, and the gap queue lists them (arrived 2 days ago).
			const [{ rollup, actual }] = await tx.query<{ rollup: number; actual: number }>(
				`SELECT (SELECT returnees_due FROM grid_day WHERE grid_id = $1 AND day = $2::date) AS rollup,
				        (SELECT count(*)::int FROM person WHERE grid_id = $1 AND returnee AND arrival_date <= $2::date) AS actual`,
				[a.gridId, k.period.last]
			);
			expect(rollup).toBe(actual);
			const ids = (
				await tx.query<{ id: number }>('SELECT id FROM person WHERE id_hash = $1', [
					hashIdNumber(TEST_SECRET, idNumber(901))
				])
			).map((p) => p.id);
			const [gap] = await tx.query<{ persons: number[] }>(
				`SELECT detail->'persons' AS persons FROM gap_item WHERE rule = 'returnee_unscreened' AND grid_id = $1 AND status <> 'resolved'`,
				[a.gridId]
			);
			expect(gap.persons).toContain(ids[0]);

			// The same file again: three unchanged, nothing written.
			const again = await dry({ name: '返杭人员.csv', bytes: utf8(csv) }, { kind: 'returnees' });
			expect(again.batch.counts).toMatchObject({ new: 0, updated: 0, unchanged: 3 });
			expect(again.sameFile?.id).toBe(preview.batch.id);
			await commit(again.batch.id);
			expect(await persons()).toBe(before + 3);

			// A later register moves 王五 to another household and corrects his origin: an update, undone by its rollback.
			const moved = await dry(
				{
					name: 'fix.csv',
					bytes: utf8(
						`姓名,身份证号,来源地,返杭日期,户编码\n王五,${idNumber(904)},湖北省孝感市,${arrived},${a.code}\n`
					)
				},
				{ kind: 'returnees' }
			);
			expect(moved.batch.counts).toMatchObject({ new: 0, updated: 1 });
			await commit(moved.batch.id);
			const wang = async () =>
				(
					await tx.query<{ household: number; origin: string; keyArea: boolean; phone: string }>(
						`SELECT household_id AS household, origin, key_area AS "keyArea", phone_masked AS phone FROM person WHERE id_hash = $1`,
						[hashIdNumber(TEST_SECRET, idNumber(904))]
					)
				)[0];
			expect(await wang()).toEqual({
				household: a.id,
				origin: '湖北省孝感市',
				keyArea: true,
				phone: '139****9000'
			});
			const first = await refusal(rollback(preview.batch.id));
			expect(first.status).toBe(409);
			// An observation begun in his new household since: moving him back would leave it there.
			expect(
				await refusedAfter(
					`INSERT INTO observation (subdistrict_id, household_id, person_id, start_date, end_date, status)
					 SELECT $1, $2, id, $3::date, $3::date + 14, 'active' FROM person WHERE id_hash = $4`,
					[k.subdistrictId, a.id, k.period.last, hashIdNumber(TEST_SECRET, idNumber(904))],
					moved.batch.id
				)
			).toEqual([
				409,
				`批次 ${moved.batch.id} 新增或修改的人员此后已有记录（排查 0 次，居家观察与健康监测 1 条），不能撤销`
			]);
			await rollback(moved.batch.id);
			expect(await wang()).toEqual({
				household: c.id,
				origin: '安徽省阜阳市',
				keyArea: false,
				phone: '139****9000'
			});

			// A screening recorded since stops the rollback of the batch that added the person; without it, it goes.
			expect(
				await refusedAfter(
					`INSERT INTO screening (subdistrict_id, person_id, screened_at, method, result)
					 VALUES ($1, $2, now(), 'door', 'normal')`,
					[k.subdistrictId, ids[0]],
					preview.batch.id
				)
			).toEqual([
				409,
				`批次 ${preview.batch.id} 新增或修改的人员此后已有记录（排查 1 次，居家观察与健康监测 0 条），不能撤销`
			]);
			await rollback(preview.batch.id);
			expect(await persons()).toBe(before);
			const [{ rollupAfter, actualAfter }] = await tx.query<{
				rollupAfter: number;
				actualAfter: number;
			}>(
				`SELECT (SELECT returnees_due FROM grid_day WHERE grid_id = $1 AND day = $2::date) AS "rollupAfter",
				        (SELECT count(*)::int FROM person WHERE grid_id = $1 AND returnee AND arrival_date <= $2::date) AS "actualAfter"`,
				[a.gridId, k.period.last]
			);
			expect(rollupAfter).toBe(actualAfter);
			expect(rollupAfter).toBe(rollup - [a, b, c].filter((h) => h.gridId === a.gridId).length);
		});
	});

	it('reads a GB18030 register and an XLSX with a two-row header; a register without the ID column is refused whole', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			const [a] = await households(tx, k.compound);
			const day = minusDays(k.period.last, 1);
			const gbk = gb18030(
				`姓名,公民身份号码,手机号,从何地返杭,抵杭日期,小区,楼幢,单元,室\r\n欧阳娜娜,${idNumber(921)},13800138000,湖北省黄冈市,${day},${k.compound},${a.building},${a.unit},${a.room}\r\n`
			);
			const fromGbk = await dry({ name: 'gbk.csv', bytes: gbk }, { kind: 'returnees' });
			expect(fromGbk.source).toEqual({ format: 'csv', encoding: 'gb18030' });
			expect(fromGbk.batch.counts).toMatchObject({ new: 1, rejected: 0 });

			const book = new ExcelJS.Workbook();
			const sheet = book.addWorksheet('返杭');
			sheet.addRow(['白杨街道返杭人员登记表']);
			sheet.mergeCells('A1:F1');
			sheet.addRow(['姓名', '身份证号', '联系电话', '来源地', '返杭时间', '现住址']);
			sheet.addRow([
				'Anna Li',
				idNumber(922),
				'13800138001',
				'上海市',
				`${day} 14:30`,
				`${k.compound}${a.building}幢${a.unit}单元${a.room}室`
			]);
			const fromXlsx = await dry(
				{ name: 'r.xlsx', bytes: new Uint8Array(await book.xlsx.writeBuffer()) },
				{ kind: 'returnees' },
				'en'
			);
			expect(fromXlsx.source).toMatchObject({ format: 'xlsx', sheet: '返杭' });
			expect(fromXlsx.batch.counts).toMatchObject({ new: 1, rejected: 0 });
			const [{ rows }] = await tx.query<{ rows: { arrivedAt: number; nameMasked: string }[] }>(
				'SELECT rows FROM import_batch WHERE id = $1',
				[fromXlsx.batch.id]
			);
			expect(rows[0]).toMatchObject({
				nameMasked: 'A****i',
				arrivedAt: Date.parse(`${day}T14:30:00+08:00`)
			});

			const noId = await refusal(
				dry(
					{ name: 'x.csv', bytes: utf8(`姓名,来源地,返杭日期,户编码\n张三,湖北省,${day},X\n`) },
					{ kind: 'returnees' }
				)
			);
			expect([noId.status, noId.body.message]).toEqual([
				400,
				'第 1–3 行中找不到表头，缺少列：身份证号'
			]);
		});
	});

	it('dry-runs the sample returnee register in data/samples (GB18030) as its README says', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			const bytes = new Uint8Array(readFileSync('data/samples/returnees-gb18030.csv'));
			const preview = await dry({ name: 'returnees-gb18030.csv', bytes }, { kind: 'returnees' });
			expect(preview.source).toEqual({ format: 'csv', encoding: 'gb18030' });
			expect(preview.batch.counts).toEqual({
				new: 3,
				updated: 0,
				unchanged: 0,
				rejected: 2,
				newBuildings: 0
			});
			expect(preview.ignored).toEqual(['备注']);
			expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
				[5, 'B（身份证号）'],
				[6, 'B（身份证号）']
			]);
		});
	});
});
