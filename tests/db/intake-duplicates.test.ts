import { describe, expect, it } from 'vitest';
import { inRolledBackTransaction } from './database';
import { TEST_SECRET, hashIdNumber } from '../../src/lib/server/secret';
import { loadGapSettings } from '../../src/lib/features/gaps/server/gaps.server';
import {
	listDuplicates,
	mergePersons,
	setApart,
	undoMerge
} from '../../src/lib/features/intake/server/duplicates.server';
import { as, idNumber, refusal } from './capture-support';
import { importer, known, utf8 } from './intake-support';

const minusDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

describe('intake: 横向查重 (persons that are probably the same)', () => {
	it('lists pairs by rule across communities without keeping names, merges (records move, the ID number then finds the kept file), keeps apart, and undoes a merge whole', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { scope, context, dry, commit, rollback } = importer(tx, k);
			// The gap rules' settings, read as the server reads them (before the request's scope).
			const settings = { ...context, settings: await loadGapSettings(tx) };
			// Two households in two communities.
			const [h1, h2] = await tx.query<{ code: string; gridId: number; community: string }>(
				`(SELECT h.code, h.grid_id AS "gridId", c.code AS community FROM household h JOIN community c ON c.id = h.community_id
				  WHERE c.id = (SELECT min(id) FROM community) ORDER BY h.id LIMIT 1)
				 UNION ALL
				 (SELECT h.code, h.grid_id, c.code FROM household h JOIN community c ON c.id = h.community_id
				  WHERE c.id = (SELECT max(id) FROM community) ORDER BY h.id LIMIT 1)`
			);
			expect(h1.community).not.toBe(h2.community);
			const early = minusDays(k.period.last, 6);
			const late = minusDays(k.period.last, 2);
			const header = '姓名,身份证号,联系电话,来源地,返杭日期,户编码';
			const first = [
				header,
				`张小明,${idNumber(911)},13800138011,湖北省武汉市,${late},${h1.code}`,
				`李华强,${idNumber(912)},13800138012,河南省信阳市,${late},${h1.code}`,
				`王芳,${idNumber(913)},13800138013,安徽省阜阳市,${late},${h1.code}`,
				`陈静,${idNumber(914)},13800138014,安徽省阜阳市,${late},${h1.code}`
			].join('\n');
			const second = [
				header,
				// One character apart, the same phone: the same person registered again by another community.
				`张晓明,${idNumber(921)},138 0013 8011,湖北省武汉市,${early},${h2.code}`,
				`李华强,${idNumber(922)},13800138012,河南省信阳市,${late},${h2.code}`,
				// One character apart in the same household (no phone in common).
				`王小芳,${idNumber(923)},,安徽省阜阳市,${late},${h1.code}`,
				// The same name, another phone and household: two people.
				`陈静,${idNumber(924)},13900139024,江西省南昌市,${late},${h2.code}`,
				// Two-character names one character apart sharing the family's phone: two people (a surname says nothing).
				`赵伟,${idNumber(925)},13900139025,江西省南昌市,${late},${h2.code}`,
				`赵敏,${idNumber(926)},13900139025,江西省南昌市,${late},${h2.code}`
			].join('\n');
			const one = await dry({ name: '社区甲.csv', bytes: utf8(first) }, { kind: 'returnees' });
			await commit(one.batch.id);
			const two = await dry({ name: '社区乙.csv', bytes: utf8(second) }, { kind: 'returnees' });
			expect(two.batch.counts.new).toBe(6);
			await commit(two.batch.id);
			const ids = Object.fromEntries(
				(
					await tx.query<{ id: number; hash: string }>(
						'SELECT id, id_hash AS hash FROM person WHERE id_hash = ANY ($1::text[])',
						[
							[911, 912, 913, 914, 921, 922, 923, 924, 925, 926].map((n) =>
								hashIdNumber(TEST_SECRET, idNumber(n))
							)
						]
					)
				).map((p) => [
					[911, 912, 913, 914, 921, 922, 923, 924, 925, 926].find(
						(n) => hashIdNumber(TEST_SECRET, idNumber(n)) === p.hash
					)!,
					p.id
				])
			) as Record<number, number>;
			// Nothing of a name or phone is stored but masks and keyed hashes.
			const stored = JSON.stringify(
				await tx.query('SELECT * FROM person WHERE id = ANY ($1::int[])', [Object.values(ids)])
			);
			for (const typed of ['张小明', '张晓明', '13800138011', '小明'])
				expect(stored).not.toContain(typed);

			const mine = new Set(Object.values(ids));
			const listed = async () =>
				(await as(tx, scope, () => listDuplicates(tx, k.subdistrictId))).pairs
					.filter((p) => mine.has(p.a.id) || mine.has(p.b.id))
					.map((p) => [p.rule, p.a.id, p.b.id, p.a.community?.code === p.b.community?.code]);
			expect(await listed()).toEqual([
				['name_phone', ids[912], ids[922], false],
				['similar_name_phone', ids[911], ids[921], false],
				['similar_name_address', ids[913], ids[923], true]
			]);
			const list = await as(tx, scope, () => listDuplicates(tx, k.subdistrictId));
			const zhang = list.pairs.find((p) => p.a.id === ids[911])!;
			expect([zhang.a.nameMasked, zhang.b.nameMasked, zhang.a.phoneMasked]).toEqual([
				'张*明',
				'张*明',
				'138****8011'
			]);

			// A screening of the second file, and where the grids' figures stand.
			await as(tx, scope, () =>
				tx.query(
					`INSERT INTO screening (subdistrict_id, person_id, screened_at, method, result)
					 VALUES ($1, $2, $3::date + time '10:00' AT TIME ZONE 'Asia/Shanghai', 'door', 'normal')`,
					[k.subdistrictId, ids[921], late]
				)
			);
			const figures = async (gridId: number) =>
				(
					await tx.query<{ due: number; screened: number }>(
						'SELECT returnees_due AS due, returnees_screened AS screened FROM grid_day WHERE grid_id = $1 AND day = $2::date',
						[gridId, k.period.last]
					)
				)[0];
			const persons = async () =>
				(await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;
			const [before1, before2, count] = [
				await figures(h1.gridId),
				await figures(h2.gridId),
				await persons()
			];

			// Merge: keep the first community's file.
			const merged = await as(tx, scope, () =>
				mergePersons(tx, scope, { keep: ids[911], merge: ids[921] }, k.actor, settings)
			);
			expect(merged).toMatchObject({
				rule: 'similar_name_phone',
				kept: { id: ids[911], nameMasked: '张*明' },
				merged: { id: ids[921], nameMasked: '张*明' },
				moved: { screenings: 1, observations: 0, healthChecks: 0 },
				undoneAt: null
			});
			expect(await persons()).toBe(count - 1);
			const [kept] = await tx.query<{ arrival: string; screenings: number }>(
				`SELECT arrival_date::text AS arrival, (SELECT count(*)::int FROM screening WHERE person_id = $1) AS screenings
				 FROM person WHERE id = $1`,
				[ids[911]]
			);
			// The kept file takes the earlier arrival and the screening.
			expect(kept).toEqual({ arrival: early, screenings: 1 });
			expect(await figures(h1.gridId)).toEqual({
				due: before1.due,
				screened: before1.screened + 1
			});
			// (the screening was written without a rebuild: the second grid never counted it)
			expect(await figures(h2.gridId)).toEqual({
				due: before2.due - 1,
				screened: before2.screened
			});
			expect((await listed()).map((p) => p[0])).toEqual(['name_phone', 'similar_name_address']);
			const [audit] = await tx.query<{ detail: { personIds: number[]; rule: string } }>(
				`SELECT detail FROM audit_log WHERE action = 'person.merge' ORDER BY id DESC LIMIT 1`
			);
			expect(audit.detail).toMatchObject({
				personIds: [ids[911], ids[921]],
				rule: 'similar_name_phone'
			});

			// The merged ID number finds the kept file: the form's duplicate check and the same register again.
			const [where] = await as(tx, scope, () =>
				tx.query<{ person_id: number }>('SELECT person_id FROM person_registered_where($1)', [
					hashIdNumber(TEST_SECRET, idNumber(921))
				])
			);
			expect(where.person_id).toBe(ids[911]);
			const again = await dry({ name: '社区乙.csv', bytes: utf8(second) }, { kind: 'returnees' });
			expect(again.batch.counts).toMatchObject({ new: 0, updated: 0, unchanged: 6 });
			// The register's batch cannot be rolled back while its person is merged.
			const refused = await refusal(rollback(two.batch.id));
			expect([refused.status, refused.body.message]).toEqual([
				409,
				`批次 ${two.batch.id} 的人员已参与 1 次合并（横向查重），请先撤销这些合并，再撤销该批次`
			]);

			// Refusals: a pair no rule links; one person twice; the kept file of a merge merged away.
			const notLinked = await refusal(
				as(tx, scope, () =>
					mergePersons(tx, scope, { keep: ids[914], merge: ids[924] }, k.actor, settings)
				)
			);
			expect(notLinked.status).toBe(409);
			expect(notLinked.body.message).toContain('不符合任何疑似重复规则');
			const twice = await refusal(
				as(tx, scope, () =>
					mergePersons(tx, scope, { keep: ids[912], merge: ids[912] }, k.actor, settings)
				)
			);
			expect([twice.status, twice.body.field]).toEqual([400, 'merge']);

			// Kept apart: no longer listed; listed again when taken back.
			await as(tx, scope, () => setApart(tx, scope, [ids[923], ids[913]], true, k.actor));
			expect((await listed()).map((p) => p[0])).toEqual(['name_phone']);
			await as(tx, scope, () => setApart(tx, scope, [ids[913], ids[923]], false, k.actor));
			expect((await listed()).map((p) => p[0])).toEqual(['name_phone', 'similar_name_address']);

			// Undo: the person, the screening and the kept file's arrival as they were; the figures back.
			const undone = await as(tx, scope, () => undoMerge(tx, scope, merged.id, k.actor, settings));
			expect(undone.undoneAt).not.toBeNull();
			expect(await persons()).toBe(count);
			const [back] = await tx.query<{ arrival: string; screenings: number; grid: number }>(
				`SELECT arrival_date::text AS arrival, grid_id AS grid,
				        (SELECT count(*)::int FROM screening WHERE person_id = $1) AS screenings FROM person WHERE id = $1`,
				[ids[921]]
			);
			expect(back).toEqual({ arrival: early, screenings: 1, grid: h2.gridId });
			expect(
				(
					await tx.query<{ arrival: string }>(
						'SELECT arrival_date::text AS arrival FROM person WHERE id = $1',
						[ids[911]]
					)
				)[0].arrival
			).toBe(late);
			expect(await figures(h1.gridId)).toEqual(before1);
			expect(await figures(h2.gridId)).toEqual({
				due: before2.due,
				screened: before2.screened + 1
			});
			expect((await listed()).map((p) => p[0])).toEqual([
				'name_phone',
				'similar_name_phone',
				'similar_name_address'
			]);
			const again2 = await refusal(
				as(tx, scope, () => undoMerge(tx, scope, merged.id, k.actor, settings))
			);
			expect(again2.status).toBe(409);
			// Merged the wrong way round, undone, merged the other way and undone again (the undone merge is no obstacle).
			const other = await as(tx, scope, () =>
				mergePersons(tx, scope, { keep: ids[921], merge: ids[911] }, k.actor, settings)
			);
			expect(other.kept.id).toBe(ids[921]);
			await as(tx, scope, () => undoMerge(tx, scope, other.id, k.actor, settings));
			expect(await persons()).toBe(count);
			// With the merge undone, the batch rolls back (its screened person blocks it: the screening goes first).
			await tx.query('DELETE FROM screening WHERE person_id = $1', [ids[921]]);
			expect((await rollback(two.batch.id)).status).toBe('rolled_back');
		});
	});
});
