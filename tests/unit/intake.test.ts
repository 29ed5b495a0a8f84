import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/lib/features/intake/model/decode';
import { CsvError, parseCsv } from '../../src/lib/features/intake/model/csv';
import { columnLetter, mapColumns, records } from '../../src/lib/features/intake/model/table';
import {
	ADDRESS_FIELDS,
	checkAddressRows
} from '../../src/lib/features/intake/model/address-register';
import { toWgs84 } from '../../src/lib/features/intake/model/datum';
import {
	checkReturneeRows,
	maskId,
	readDate,
	RETURNEE_FIELDS
} from '../../src/lib/features/intake/model/returnee-register';
import { nameForms } from '../../src/lib/features/intake/model/duplicates';

const rowsOf = (text: string) => parseCsv(text).map(({ cells, line }) => ({ row: line, cells }));

describe('intake: reading registers', () => {
	it('detects UTF-8, UTF-8 with BOM and GB18030', () => {
		const text = '小区,楼幢\n文渊名邸,3\n';
		expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
		const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
		expect(decodeText(bom)).toEqual({ text, encoding: 'utf-8-bom' });
		// 小区 in GB18030 (GBK): D0 A1 C7 F8.
		const gbk = new Uint8Array([0xd0, 0xa1, 0xc7, 0xf8, 0x2c, 0x31]);
		expect(decodeText(gbk)).toEqual({ text: '小区,1', encoding: 'gb18030' });
	});

	it('parses quoted fields, doubled quotes, line breaks in quotes, CRLF and tabs; says where a quote is left open', () => {
		expect(parseCsv('a,"b,c","say ""hi"""\r\n"x\ny",2,\r\n\r\n')).toEqual([
			{ cells: ['a', 'b,c', 'say "hi"'], line: 1 },
			{ cells: ['x\ny', '2', ''], line: 2 }
		]);
		expect(parseCsv('小区\t楼幢\n明月苑\t3')).toEqual([
			{ cells: ['小区', '楼幢'], line: 1 },
			{ cells: ['明月苑', '3'], line: 2 }
		]);
		expect(() => parseCsv('a,b\n1,"open\n')).toThrow(CsvError);
		try {
			parseCsv('a,b\n1,"open\n');
		} catch (e) {
			expect((e as CsvError).line).toBe(2);
		}
	});

	it('finds the header under a title row, by the usual Chinese names, and names columns as Excel does', () => {
		const rows = rowsOf(
			'白杨街道门牌地址库,,,,\n小区名称,楼幢,单元,门牌号,户籍人数,备注\n明月苑,3幢,2,302室,3,x\n'
		);
		const mapped = mapColumns(rows, ADDRESS_FIELDS);
		if (!('map' in mapped)) throw new Error('no header');
		expect(mapped.map.headerRow).toBe(2);
		expect(mapped.map.columns).toEqual({ compound: 0, building: 1, unit: 2, room: 3, members: 4 });
		expect(mapped.map.ignored).toEqual(['备注']);
		expect(records(rows, mapped.map)).toEqual([
			{
				row: 3,
				values: { compound: '明月苑', building: '3幢', unit: '2', room: '302室', members: '3' }
			}
		]);
		expect(mapColumns(rowsOf('姓名,电话\n张三,1\n'), ADDRESS_FIELDS)).toEqual({
			missing: ['members']
		});
		expect([0, 25, 26, 27, 701].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ']);
	});

	it('checks each row and names row, column and value; reads one-column addresses; refuses a repeated address', () => {
		const rows = rowsOf(
			[
				'小区,楼幢,单元,室,人数,经度,纬度,地址',
				'明月苑,3,2,302,3,,,',
				'明月苑,三,2,302,4,,,',
				',,,,2,,,明月苑5幢1单元101室',
				'明月苑,x,1,101,2,,,',
				'明月苑,6,1,101,abc,120.3,,',
				'明月苑,6,1,102,2,120.3,30.3,',
				'明月苑,3,2,0302,1,,,'
			].join('\n')
		);
		const mapped = mapColumns(rows, ADDRESS_FIELDS);
		if (!('map' in mapped)) throw new Error('no header');
		const { rows: good, problems } = checkAddressRows(
			records(rows, mapped.map),
			mapped.map,
			(x, y) => toWgs84('wgs84', x, y)
		);
		expect(good.map((r) => [r.row, r.compound, r.building, r.unit, r.room, r.members])).toEqual([
			[2, '明月苑', 3, 2, '302', 3],
			[4, '明月苑', 5, 1, '101', 2],
			[7, '明月苑', 6, 1, '102', 2]
		]);
		expect(good[2]).toMatchObject({ lng: 120.3, lat: 30.3 });
		expect(problems.map((p) => [p.row, p.column, p.value, p.reason, p.detail])).toEqual([
			[3, 'B（楼幢）', '三', 'not_a_whole_number', undefined],
			[5, 'B（楼幢）', 'x', 'not_a_whole_number', undefined],
			[6, 'E（人数）', 'abc', 'not_a_whole_number', undefined],
			[6, 'G（纬度）', '', 'coordinate_pair', undefined],
			[8, 'D（室）', '0302', 'duplicate_in_file', '2']
		]);
	});

	it('refuses a one-column address it cannot read whole, never guessing another household', () => {
		const rows = rowsOf(
			[
				'地址,人数',
				'明月苑0幢1单元101室,2',
				'明月苑3幢1单元302A室,2',
				'明月苑3幢1单元1234567890室,2',
				'明月苑3-1-302,2',
				'明月苑3幢1单元30/2室,2'
			].join('\n')
		);
		const mapped = mapColumns(rows, ADDRESS_FIELDS);
		if (!('map' in mapped)) throw new Error('no header');
		const { rows: good, problems } = checkAddressRows(
			records(rows, mapped.map),
			mapped.map,
			(x, y) => toWgs84('wgs84', x, y)
		);
		expect(good.map((r) => [r.row, r.building, r.unit, r.room])).toEqual([[5, 3, 1, '302']]);
		expect(problems.map((p) => [p.row, p.column, p.reason])).toEqual([
			[2, 'A（地址）', 'address_unreadable'],
			[3, 'A（地址）', 'address_unreadable'],
			[4, 'A（地址）', 'address_unreadable'],
			[6, 'A（地址）', 'address_unreadable']
		]);
	});

	it('converts GCJ-02 and BD-09 coordinates to WGS84 (the offset near Hangzhou is a few hundred metres)', () => {
		const [x, y] = toWgs84('gcj02', 120.35, 30.31);
		const metres = Math.hypot((120.35 - x) * 96_000, (30.31 - y) * 111_000);
		expect(metres).toBeGreaterThan(300);
		expect(metres).toBeLessThan(700);
		const [bx, by] = toWgs84('bd09', 120.35, 30.31);
		expect(Math.hypot((120.35 - bx) * 96_000, (30.31 - by) * 111_000)).toBeGreaterThan(metres);
		expect(toWgs84('wgs84', 120.35, 30.31)).toEqual([120.35, 30.31]);
	});
});

describe('intake: the returnee register', () => {
	it('reads dates as registers write them, with an optional Beijing time; refuses what is no date', () => {
		expect(readDate('2020-01-25')).toEqual({ day: '2020-01-25', at: null });
		expect(readDate('2020/1/5')).toEqual({ day: '2020-01-05', at: null });
		expect(readDate('2020.1.25')).toEqual({ day: '2020-01-25', at: null });
		expect(readDate('20200125')).toEqual({ day: '2020-01-25', at: null });
		expect(readDate('2020年1月25日')).toEqual({ day: '2020-01-25', at: null });
		expect(readDate('2020-01-25 14:30')).toEqual({
			day: '2020-01-25',
			at: Date.parse('2020-01-25T14:30:00+08:00')
		});
		// Spaces between date and time, a one-digit day, a time in UTC (Z): its Beijing day.
		expect(readDate('2020-1-1 12:30')).toEqual({
			day: '2020-01-01',
			at: Date.parse('2020-01-01T12:30:00+08:00')
		});
		expect(readDate('2020-01-2  10:00')?.day).toBe('2020-01-02');
		expect(readDate('2020-01-25T14:30:00Z')).toEqual({
			day: '2020-01-25',
			at: Date.parse('2020-01-25T14:30:00Z')
		});
		expect(readDate('2020-01-25T20:00Z')?.day).toBe('2020-01-26');
		// As Chinese registers write it: the time straight after 日, 时/分, full-width dashes, spaces by 年月日.
		const at1430 = { day: '2020-01-25', at: Date.parse('2020-01-25T14:30:00+08:00') };
		expect(readDate('2020年1月25日14:30')).toEqual(at1430);
		expect(readDate('2020年1月25日 14时30分')).toEqual(at1430);
		expect(readDate('2020－01－25 14:30:00+08:00')).toEqual(at1430);
		expect(readDate('2020 年 1 月 25 日')).toEqual({ day: '2020-01-25', at: null });
		// Digits run together are not split by guess: 1-112:30 is no date.
		expect(readDate('2020-1-112:30')).toBeNull();
		for (const bad of [
			'2020-02-30',
			'2020-13-01',
			'25/01/2020',
			'2020-01-25 25:00',
			'x',
			'1899-01-01'
		])
			expect(readDate(bad), bad).toBeNull();
	});

	it('checks each row as the form does, keeps only the hash and masks, and names the rule an ID number breaks', () => {
		const rows = rowsOf(
			[
				'姓名,身份证号,联系电话,来源地,返杭日期,户编码',
				'张三丰,110105198001010016,+86 138-0013-8000,湖北省武汉市,2020-02-01,B1-0101',
				'李四,110105198001010017,,湖北省,2020-02-01,B1-0102',
				'王五,110105198001010016,,湖北省,2020-02-01,B1-0103',
				'赵六,110105198001010024,,湖北省,2020-03-01,B1-0104',
				'钱七,110105198001010032,,湖北省,2020-01-01,',
				'R2-D2,110105198001010040,12345,湖,2020-02-01,B1-0105',
				'孙八,4.20102198503120E+17,010-6512 3456,湖北省,2020-02-01,B1-0106'
			].join('\n')
		);
		const mapped = mapColumns(rows, RETURNEE_FIELDS);
		if (!('map' in mapped)) throw new Error('header not found');
		const { rows: ok, problems } = checkReturneeRows(records(rows, mapped.map), mapped.map, {
			today: '2020-02-28',
			clock: Date.parse('2020-02-28T12:00:00+08:00'),
			first: '2020-01-20',
			hash: (id) => `h(${id})`,
			hashName: (name) => nameForms(name).map((form) => `n(${form})`),
			hashPhone: (digits) => `p(${digits})`
		});
		expect(ok).toEqual([
			{
				row: 2,
				idHash: 'h(110105198001010016)',
				nameMasked: '张*丰',
				phoneMasked: '138****8000',
				// The name's forms and the phone, as the server's keyed hashes would take them (never kept as typed).
				nameKeys: ['n(张三丰)', 'n(三丰)', 'n(张丰)', 'n(张三)'],
				phoneHash: 'p(13800138000)',
				origin: '湖北省武汉市',
				arrivalDate: '2020-02-01',
				arrivedAt: null,
				householdCode: 'B1-0101',
				address: null
			}
		]);
		expect(problems.map((p) => [p.row, p.column, p.value, p.reason, p.detail])).toEqual([
			[3, 'B（身份证号）', '110105********0017', 'id_invalid', 'check'],
			[4, 'B（身份证号）', '110105********0016', 'id_duplicate_in_file', '2'],
			[5, 'E（返杭日期）', '2020-03-01', 'date_future', '2020-02-28'],
			[6, 'E（返杭日期）', '2020-01-01', 'date_before_period', '2020-01-20'],
			[6, 'F（户编码）', '', 'required', undefined],
			[7, 'A（姓名）', 'R***2', 'name_invalid', undefined],
			[7, 'C（联系电话）', '***45', 'phone_invalid', undefined],
			[7, 'D（来源地）', '湖', 'out_of_range', '2–40'],
			// An ID stored as a number (15 digits kept) is refused as such; a landline is no mobile, and shown masked.
			[8, 'B（身份证号）', '4.2010**********E+17', 'id_stored_as_number', undefined],
			[8, 'C（联系电话）', '010*****3456', 'phone_invalid', undefined]
		]);
		expect(maskId('110105 19800101 0016')).toBe('110105********0016');
	});
});
