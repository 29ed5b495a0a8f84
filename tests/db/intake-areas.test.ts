import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { inRolledBackTransaction } from './database';
import type { Queryable } from '../../src/lib/server/db/types';
import { fromWgs84 } from '../../src/lib/features/intake/model/datum';
import { refusal } from './capture-support';
import { speaking } from '../../src/lib/server/say';
import { importer, known, utf8 } from './intake-support';

/**
 * The boundary import on the demo's community 05 (grids 0501–0504). The sample
 * `data/samples/grids-gbk.zip` is a shapefile written by GDAL's ogr2ogr as a Chinese GIS office
 * writes one: attributes in GBK (.cpg `CP936`), coordinates projected in CGCS2000 3-degree
 * Gauss–Krüger CM 120°E (.prj), the boundary between 0501 and 0502 moved about 80 m into 0502.
 */
const SAMPLE = new Uint8Array(readFileSync('data/samples/grids-gbk.zip'));

/** The sample's files, changed by `change`, zipped again. */
function rezip(change: (files: Record<string, Uint8Array>) => void): Uint8Array {
	const files = unzipSync(SAMPLE);
	change(files);
	return zipSync(files);
}
const ext = (files: Record<string, Uint8Array>, e: string) =>
	Object.keys(files).find((k) => k.toLowerCase().endsWith(e))!;

/** Community 05's grids as GeoJSON, each outline through `outline` (SQL on `g.geom`), in `datum`. */
async function geojson(
	tx: Queryable,
	outline = 'g.geom',
	datum: 'wgs84' | 'gcj02' = 'wgs84',
	extra: object[] = []
) {
	const rows = await tx.query<{ code: string; name: string; community: string; g: string }>(
		`SELECT g.code, g.name, c.name AS community, ST_AsGeoJSON(${outline}, 9) AS g
		 FROM grid g JOIN community c ON c.id = g.community_id WHERE g.code LIKE '05%' ORDER BY g.code`
	);
	const walk = (c: unknown): unknown =>
		Array.isArray(c) && typeof c[0] === 'number'
			? fromWgs84(datum, c[0], c[1])
			: Array.isArray(c)
				? c.map(walk)
				: c;
	const features = rows.map((r) => {
		const g = JSON.parse(r.g);
		return {
			type: 'Feature',
			properties: { 网格编码: r.code, 网格名称: r.name, 所属社区: r.community },
			geometry: { type: g.type, coordinates: walk(g.coordinates) }
		};
	});
	return {
		name: 'grids.geojson',
		bytes: utf8(JSON.stringify({ type: 'FeatureCollection', features: [...features, ...extra] }))
	};
}

/** Households per grid of community 05, as stored and as the rollup counts them on the last day. */
async function figures(tx: Queryable, last: string) {
	return tx.query<{ code: string; households: number; rollup: number; persons: number }>(
		`SELECT g.code, (SELECT count(*)::int FROM household h WHERE h.grid_id = g.id) AS households,
		        (SELECT households_registered FROM grid_day d WHERE d.grid_id = g.id AND d.day = $1::date) AS rollup,
		        (SELECT count(*)::int FROM person p WHERE p.grid_id = g.id) AS persons
		 FROM grid g WHERE g.code LIKE '05%' ORDER BY g.code`,
		[last]
	);
}

const outlines = (tx: Queryable) =>
	tx.query<{ code: string; wkb: string }>(
		`SELECT code, encode(ST_AsEWKB(geom), 'hex') AS wkb FROM grid WHERE code LIKE '05%' ORDER BY code`
	);

describe('intake: boundaries', () => {
	it('reads the GBK shapefile (projected, .cpg): dry run writes nothing, the commit moves the records and the rollup with the boundary, the same file again changes nothing, the rollback puts all back', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry, commit, rollback } = importer(tx, k);
			const before = await figures(tx, k.period.last);
			const stored = await outlines(tx);
			const preview = await dry({ name: '网格.zip', bytes: SAMPLE }, { kind: 'grids' });
			expect(preview.batch.counts).toMatchObject({ new: 0, updated: 2, unchanged: 2, rejected: 0 });
			expect(preview.problems).toEqual([]);
			expect(preview.areas).toMatchObject({
				level: 'grid',
				format: 'shapefile',
				encoding: { name: 'gb18030', from: 'cpg' },
				projection: 'CGCS2000_3_Degree_GK_CM_120E',
				repairs: []
			});
			// The names came through GBK, and each outline is drawn with what the commit does to it.
			const drawn = preview.areas!.outlines.features.map((f) => [
				f.properties.code,
				f.properties.name,
				f.properties.status
			]);
			expect(drawn).toEqual([
				['0501', '邻里第1网格', 'updated'],
				['0502', '邻里第2网格', 'updated'],
				['0503', '邻里第3网格', 'unchanged'],
				['0504', '邻里第4网格', 'unchanged']
			]);
			expect(preview.columns.map((c) => `${c.field}←${c.column}`)).toEqual([
				'code←网格编码',
				'areaName←网格名称',
				'community←所属社区'
			]);
			// The file tiles its community but for millimetre slivers where its rounded coordinates (8 decimals,
			// then projected) meet the neighbours' edges: listed (over 1 m²), none over 2 m², none elsewhere.
			for (const t of preview.areas!.topology) {
				expect(t.areas.every((a) => a.startsWith('05') || a === '330114002005')).toBe(true);
				expect(t.areaM2).toBeLessThan(2);
			}
			expect(await outlines(tx)).toEqual(stored);
			expect(await figures(tx, k.period.last)).toEqual(before);

			await commit(preview.batch.id);
			const after = await figures(tx, k.period.last);
			const moved = after[0].households - before[0].households;
			expect(moved).toBeGreaterThan(10);
			expect(after[1].households).toBe(before[1].households - moved);
			expect(after.slice(2)).toEqual(before.slice(2));
			// The rollup counts the records where they are now; persons went with their households.
			for (const f of after) expect(f.rollup).toBe(f.households);
			expect(after[0].persons + after[1].persons).toBe(before[0].persons + before[1].persons);
			const [{ stray }] = await tx.query<{ stray: number }>(
				`SELECT count(*)::int AS stray FROM person p JOIN household h ON h.id = p.household_id
				 WHERE p.grid_id IS DISTINCT FROM h.grid_id`
			);
			expect(stray).toBe(0);
			const [change] = await tx.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM import_change WHERE batch_id = $1 AND table_name = 'grid'`,
				[preview.batch.id]
			);
			expect(change.n).toBe(2);

			const again = await dry({ name: '网格.zip', bytes: SAMPLE }, { kind: 'grids' });
			expect(again.batch.counts).toMatchObject({ new: 0, updated: 0, unchanged: 4, rejected: 0 });
			expect(again.sameFile?.id).toBe(preview.batch.id);

			await rollback(preview.batch.id);
			expect(await outlines(tx)).toEqual(stored);
			expect(await figures(tx, k.period.last)).toEqual(before);
		});
	});

	it('reads the shapefile without its .cpg (GBK found from the DBF language byte as ArcGIS writes it, or from the bytes), as KML and as GeoJSON, to the same plan', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			const names = (p: Awaited<ReturnType<typeof dry>>) =>
				p.areas!.outlines.features.map((f) => f.properties.name).join(' ');
			const noCpg = rezip((files) => delete files[ext(files, '.cpg')]);
			const detected = await dry({ name: 'a.zip', bytes: noCpg }, { kind: 'grids' });
			expect(detected.areas!.encoding).toEqual({ name: 'gb18030', from: 'detected' });
			expect(names(detected)).toBe('邻里第1网格 邻里第2网格 邻里第3网格 邻里第4网格');
			const arcgis = rezip((files) => {
				delete files[ext(files, '.cpg')];
				files[ext(files, '.dbf')][29] = 0x4d;
			});
			const byte = await dry({ name: 'b.zip', bytes: arcgis }, { kind: 'grids' });
			expect(byte.areas!.encoding).toEqual({ name: 'gb18030', from: 'dbf' });
			expect(byte.batch.counts).toMatchObject({ updated: 2, unchanged: 2 });
			// The same grids as KML (GDAL's, attributes in SchemaData) and as GeoJSON (current outlines).
			const kml = await dry(
				{
					name: 'grids.kml',
					bytes: new Uint8Array(readFileSync('tests/db/fixtures/grids-05.kml'))
				},
				{ kind: 'grids' }
			);
			expect(kml.areas!.format).toBe('kml');
			expect(kml.batch.counts).toMatchObject({ new: 0, updated: 2, unchanged: 2, rejected: 0 });
			const same = await dry(await geojson(tx), { kind: 'grids' });
			expect(same.batch.counts).toMatchObject({ new: 0, updated: 0, unchanged: 4, rejected: 0 });
		});
	});

	it('repairs a self-intersecting outline and says so, finds a sliver gap, says which datum a shifted file is in, and refuses bad features with where and why', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			// 0503 drawn as a bow-tie: its first ring's 2nd and 3rd points swapped.
			const bowtie = await geojson(tx);
			const doc = JSON.parse(new TextDecoder().decode(bowtie.bytes));
			const ring = (doc.features[2].geometry.coordinates[0][0] ??
				doc.features[2].geometry.coordinates[0]) as number[][];
			[ring[1], ring[2]] = [ring[2], ring[1]];
			const repaired = await dry(
				{ name: 'bowtie.geojson', bytes: utf8(JSON.stringify(doc)) },
				{ kind: 'grids' }
			);
			expect(repaired.areas!.repairs).toHaveLength(1);
			expect(repaired.areas!.repairs[0]).toMatchObject({ row: 3, code: '0503' });
			expect(repaired.areas!.repairs[0].reason).toMatch(/Self-intersection|Ring Self-intersection/);
			expect(repaired.batch.counts.rejected).toBe(0);

			// 0503 shrunk by about 3 m: a sliver gap inside community 05, listed with its area and place.
			const sliver = await dry(
				await geojson(
					tx,
					`CASE WHEN g.code = '0503' THEN ST_Buffer(g.geom, -0.00003) ELSE g.geom END`
				),
				{ kind: 'grids' }
			);
			const gaps = sliver.areas!.topology.filter((t) => t.kind === 'gap');
			expect(gaps).toHaveLength(1);
			expect(gaps[0].areaM2).toBeGreaterThan(100);
			expect(gaps[0].at).toHaveLength(2);

			// Taken from AMap (GCJ-02) but declared WGS84: the outlines sit 500 m off their stored selves.
			const shifted = await dry(await geojson(tx, 'g.geom', 'gcj02'), { kind: 'grids' });
			expect(shifted.datumHint).toBe('gcj02');
			const right = await dry(await geojson(tx, 'g.geom', 'gcj02'), {
				kind: 'grids',
				datum: 'gcj02'
			});
			expect(right.datumHint).toBeNull();
			expect(right.batch.counts).toMatchObject({ updated: 0, unchanged: 4 });

			// Bad features (row = the feature's number): no code, a line, far away, a code twice, an unknown community.
			const far = [
				[121.5, 31.2],
				[121.51, 31.2],
				[121.51, 31.21],
				[121.5, 31.2]
			];
			const bad = await dry(
				await geojson(tx, 'g.geom', 'wgs84', [
					{
						type: 'Feature',
						properties: { 网格名称: '无编码' },
						geometry: { type: 'Polygon', coordinates: [far] }
					},
					{
						type: 'Feature',
						properties: { 网格编码: '0590' },
						geometry: { type: 'LineString', coordinates: far }
					},
					{
						type: 'Feature',
						properties: { 网格编码: '0591' },
						geometry: { type: 'Polygon', coordinates: [far] }
					},
					{
						type: 'Feature',
						properties: { 网格编码: '0501' },
						geometry: { type: 'Polygon', coordinates: [far] }
					},
					{
						type: 'Feature',
						properties: { 网格编码: '0592', 所属社区: '不存在社区' },
						geometry: JSON.parse(
							(
								await tx.query<{ g: string }>(
									`SELECT ST_AsGeoJSON(geom) AS g FROM grid WHERE code = '0503'`
								)
							)[0].g
						)
					}
				]),
				{ kind: 'grids' },
				'en'
			);
			expect(bad.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
				[5, '网格编码', 'required, empty here'],
				[6, 'geometry', 'not an area (a Polygon or MultiPolygon is needed)'],
				[7, 'geometry', 'the outline lies mostly outside the jurisdiction (only 0% inside)'],
				[8, '网格编码', 'the same code as row 1'],
				[
					9,
					'所属社区',
					"no such community (import the communities first, or give an existing community's code or name)"
				]
			]);
			expect(bad.batch.counts).toMatchObject({ unchanged: 4, rejected: 5 });
		});
	});

	it('imports communities: a renamed one is an update, a new one overlapping its neighbours is listed by the topology check; the rollback removes it and puts the name back', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry, commit, rollback } = importer(tx, k);
			const rows = await tx.query<{ code: string; name: string; g: string }>(
				`SELECT code, name, ST_AsGeoJSON(geom, 9) AS g FROM community ORDER BY code`
			);
			const [{ g: extra }] = await tx.query<{ g: string }>(
				`SELECT ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom)::geography, 200)::geometry, 9) AS g
				 FROM community WHERE code = $1`,
				[rows[1].code]
			);
			const features = [
				...rows.map((r, i) => ({
					type: 'Feature',
					properties: { 社区编码: r.code, 社区名称: i === 0 ? `${r.name}（新名）` : r.name },
					geometry: JSON.parse(r.g)
				})),
				{
					type: 'Feature',
					properties: { 社区编码: '330114002999', 社区名称: '试验社区' },
					geometry: JSON.parse(extra)
				}
			];
			const file = {
				name: 'communities.geojson',
				bytes: utf8(JSON.stringify({ type: 'FeatureCollection', features }))
			};
			const preview = await dry(file, { kind: 'communities' });
			expect(preview.batch.counts).toMatchObject({
				new: 1,
				updated: 1,
				unchanged: rows.length - 1,
				rejected: 0
			});
			const overlaps = preview.areas!.topology.filter((t) => t.kind === 'overlap');
			expect(overlaps.map((o) => o.areas)).toEqual([[rows[1].code, '330114002999']]);
			expect(overlaps[0].areaM2).toBeGreaterThan(100_000);
			await commit(preview.batch.id);
			const names = () =>
				tx.query<{ code: string; name: string }>(
					`SELECT code, name FROM community WHERE code IN ($1, '330114002999') ORDER BY code`,
					[rows[0].code]
				);
			expect(await names()).toEqual([
				{ code: rows[0].code, name: `${rows[0].name}（新名）` },
				{ code: '330114002999', name: '试验社区' }
			]);
			await rollback(preview.batch.id);
			expect(await names()).toEqual([{ code: rows[0].code, name: rows[0].name }]);
		});
	});

	it('refuses malformed files in words and writes nothing', async () => {
		await inRolledBackTransaction(async (tx) => {
			const k = await known(tx);
			const { dry } = importer(tx, k);
			const [{ n: batches }] = await tx.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM import_batch'
			);
			const cases: [string, Uint8Array, RegExp][] = [
				['truncated.zip', SAMPLE.slice(0, SAMPLE.length - 200), /zip/],
				['junk.bin', new Uint8Array(4096).map((_, i) => (i * 7919) % 251), /not a boundary file/],
				['no-shp.zip', rezip((f) => delete f[ext(f, '.shp')]), /no \.shp/],
				[
					'bad.geojson',
					utf8('{"type": "FeatureCollection", "features": [}'),
					/GeoJSON cannot be read/
				],
				['bad.kml', utf8('<kml><Document><Placemark></Document>'), /KML cannot be read/],
				[
					'nocode.geojson',
					utf8(
						JSON.stringify({
							type: 'FeatureCollection',
							features: [{ type: 'Feature', properties: { 名字: 'x' }, geometry: null }]
						})
					),
					/no attribute for: code \(the file's attributes: 名字\)/
				],
				['empty.geojson', utf8('{"type": "FeatureCollection", "features": []}'), /no features/],
				// A .shp whose records are 4 MB of zeros: refused by its record headers at once, not scanned.
				[
					'zeros.zip',
					rezip((f) => {
						const shp = new Uint8Array(4 * 1024 * 1024);
						shp.set(f[ext(f, '.shp')].subarray(0, 100));
						f[ext(f, '.shp')] = shp;
					}),
					/shapefile cannot be read \(record 1\)/
				],
				[
					'beijing54.geojson',
					utf8(
						JSON.stringify({
							type: 'FeatureCollection',
							crs: { type: 'name', properties: { name: 'EPSG:4214' } },
							features: []
						})
					),
					/unknown coordinate system: EPSG:4214/
				],
				[
					'placemarks.kml',
					utf8(`<kml><Document>${'<Placemark/>'.repeat(60_000)}</Document></kml>`),
					/too many features: at most 50000/
				]
			];
			for (const [name, bytes, message] of cases) {
				const refused = await speaking('en', () =>
					refusal(dry({ name, bytes }, { kind: 'grids' }, 'en'))
				);
				expect([name, refused.status]).toEqual([name, 400]);
				expect(refused.body.message).toMatch(message);
			}
			const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM import_batch');
			expect(n).toBe(batches);
			// Positions that are not two numbers in a projected file: that feature refused, the file read.
			const projected = await dry(
				{
					name: 'gk.geojson',
					bytes: utf8(
						JSON.stringify({
							type: 'FeatureCollection',
							crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } },
							features: [
								{
									type: 'Feature',
									properties: { code: 'X1' },
									geometry: {
										type: 'Polygon',
										coordinates: [[[500000], [500000, null], [500100, 'x'], [500000]]]
									}
								}
							]
						})
					)
				},
				{ kind: 'grids' },
				'en'
			);
			expect(projected.problems.map((p) => [p.row, p.reason])).toEqual([
				[1, 'not an area (a Polygon or MultiPolygon is needed)']
			]);
		});
	});
});
