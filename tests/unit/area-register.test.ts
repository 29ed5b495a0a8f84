import { describe, expect, it } from 'vitest';
import {
	checkAreaFeatures,
	type AreaFeature
} from '../../src/lib/features/intake/model/area-register';

const square = (x: number, y: number, closed = true) => {
	const ring = [
		[x, y],
		[x + 0.01, y],
		[x + 0.01, y + 0.01],
		[x, y + 0.01]
	];
	return closed ? [...ring, [x, y]] : ring;
};
const feature = (
	row: number,
	properties: Record<string, string>,
	geometry: AreaFeature['geometry']
) => ({
	row,
	properties,
	geometry
});
const same = (x: number, y: number): [number, number] => [x, y];

describe('boundary features, checked by themselves', () => {
	it('reads the usual attribute names, closes an open ring, keeps a multipolygon, and names the first of a code twice', () => {
		const checked = checkAreaFeatures(
			'grids',
			[
				feature(
					1,
					{ WGBM: ' 0501 ', WGMC: '邻里第1网格', SSSQ: '邻里 社区', 备注: 'x' },
					{ type: 'Polygon', coordinates: [square(120.3, 30.3, false)] }
				),
				feature(
					2,
					{ WGBM: '0502' },
					{ type: 'MultiPolygon', coordinates: [[square(120.3, 30.3)], [square(120.4, 30.3)]] }
				),
				feature(3, { WGBM: '0501' }, { type: 'Polygon', coordinates: [square(120.3, 30.3)] })
			],
			same
		);
		if ('missing' in checked) throw new Error('header not found');
		expect(checked.columns).toEqual({ code: 'WGBM', areaName: 'WGMC', community: 'SSSQ' });
		expect(checked.ignored).toEqual(['备注']);
		expect(checked.rows.map((r) => [r.row, r.code, r.name, r.community])).toEqual([
			[1, '0501', '邻里第1网格', '邻里社区'],
			[2, '0502', '0502', null]
		]);
		const ring = JSON.parse(checked.rows[0].geometry).coordinates[0];
		expect(ring).toHaveLength(5);
		expect(ring[4]).toEqual(ring[0]);
		expect(JSON.parse(checked.rows[1].geometry).type).toBe('MultiPolygon');
		expect(checked.problems).toEqual([
			{ row: 3, column: 'WGBM', value: '0501', reason: 'area_duplicate_in_file', detail: '1' }
		]);
	});

	it('refuses what is not an area in degrees: a line, a ring of two corners, rings of the wrong depth, metres without a .prj, a code of odd characters', () => {
		const checked = checkAreaFeatures(
			'communities',
			[
				feature(1, { 社区编码: 'A1' }, { type: 'LineString', coordinates: square(120, 30) }),
				feature(
					2,
					{ 社区编码: 'A2' },
					{
						type: 'Polygon',
						coordinates: [
							[
								[120, 30],
								[120.1, 30],
								[120, 30]
							]
						]
					}
				),
				feature(3, { 社区编码: 'A3' }, { type: 'Polygon', coordinates: [[square(120, 30)]] }),
				feature(4, { 社区编码: 'A4' }, { type: 'Polygon', coordinates: [square(500000, 3300000)] }),
				feature(5, { 社区编码: 'A 5;--' }, { type: 'Polygon', coordinates: [square(120, 30)] }),
				feature(6, { 社区编码: 'A6' }, null)
			],
			same
		);
		if ('missing' in checked) throw new Error('header not found');
		expect(checked.rows).toEqual([]);
		expect(checked.problems.map((p) => [p.row, p.reason])).toEqual([
			[1, 'area_not_polygon'],
			[2, 'area_not_polygon'],
			[3, 'area_not_polygon'],
			[4, 'area_not_degrees'],
			[5, 'area_code_invalid'],
			[6, 'area_not_polygon']
		]);
	});

	it('says which required attribute is missing', () => {
		expect(checkAreaFeatures('grids', [feature(1, { 名字: 'x' }, null)], same)).toEqual({
			missing: ['code']
		});
	});
});
