import { describe, expect, it } from 'vitest';
import {
	idCheckCharacter,
	idNumberProblem,
	normaliseIdNumber
} from '../../src/lib/features/capture/model/id-number';
import {
	isMobile,
	maskName,
	maskPhone,
	normalisePhone
} from '../../src/lib/features/capture/model/mask';
import { serviceSchedule } from '../../src/lib/features/capture/model/services';
import {
	addressMatches,
	addressText,
	parseAddress,
	unitAndRoom,
	type AddressHousehold
} from '../../src/lib/features/capture/model/address';
import { syntheticIdNumber } from '../../src/lib/server/demo/generate';

const TODAY = '2020-02-28';

describe('ID numbers (GB 11643-1999)', () => {
	it('accept a well-formed number and compute the check character by ISO 7064 MOD 11-2', () => {
		// The standard's own example: 11010519491231002X.
		expect(idCheckCharacter('11010519491231002')).toBe('X');
		expect(idNumberProblem('11010519491231002X', TODAY)).toBeNull();
		for (let serial = 1; serial < 200; serial++)
			expect(idNumberProblem(syntheticIdNumber(serial), TODAY)).toBeNull();
	});

	it('say what is wrong: length, old 15 digits, characters, region, birth date, check', () => {
		expect(idNumberProblem('1101051949123100', TODAY)).toBe('length');
		expect(idNumberProblem('110105491231002', TODAY)).toBe('old_15');
		expect(idNumberProblem('1101051949123100AX', TODAY)).toBe('characters');
		expect(idNumberProblem('91010519491231002X', TODAY)).toBe('region');
		expect(idNumberProblem('110105194902300023', TODAY)).toBe('birth_date'); // 30 February
		expect(idNumberProblem('110105203001010023', TODAY)).toBe('birth_date'); // born after today
		expect(idNumberProblem('110105194912310021', TODAY)).toBe('check');
		// One digit changed is always caught by the check character.
		const good = '11010519491231002X';
		for (let i = 0; i < 17; i++) {
			const changed = good.slice(0, i) + String((Number(good[i]) + 1) % 10) + good.slice(i + 1);
			expect(idNumberProblem(changed, TODAY)).not.toBeNull();
		}
	});

	it('normalise what phones type: spaces, dashes, full-width digits, a small x', () => {
		expect(normaliseIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
		expect(normaliseIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
	});
});

describe('names and phones are kept masked', () => {
	it('mask names of every length', () => {
		expect(maskName('张三')).toBe('张*');
		expect(maskName('张三丰')).toBe('张*丰');
		expect(maskName('欧阳娜娜')).toBe('欧**娜');
		expect(maskName(' 李 ')).toBe('李*');
	});
	it('read a mobile number as typed and mask it', () => {
		expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
		expect(normalisePhone('１３８００１３８０００')).toBe('13800138000');
		expect(isMobile('13800138000')).toBe(true);
		expect(isMobile('23800138000')).toBe(false);
		expect(isMobile('1380013800')).toBe(false);
		expect(maskPhone('13800138000')).toBe('138****8000');
	});
});

describe('addresses as people say them', () => {
	const query = { compound: '文渊名邸', building: 3, unit: 2, room: '302' };
	it('read every usual form of 文渊名邸3幢2单元302', () => {
		for (const typed of [
			'文渊名邸3幢2单元302室',
			'文渊名邸3幢2单元302',
			'文渊名邸 3栋 2单元 302',
			'文渊名邸3号楼2单元302室',
			'文渊名邸3号楼2-302',
			'文渊名邸3-2-302',
			'文渊名邸三幢二单元302',
			'文渊名邸３幢２单元３０２室',
			'文渊名邸3#2单元302'
		])
			expect(parseAddress(typed), typed).toEqual(query);
	});
	it('read partial addresses and ones outside a compound', () => {
		expect(parseAddress('3幢2单元302')).toEqual({ ...query, compound: '' });
		expect(parseAddress('文渊名邸3幢')).toEqual({
			compound: '文渊名邸',
			building: 3,
			unit: null,
			room: null
		});
		expect(parseAddress('302')).toEqual({ compound: '', building: null, unit: null, room: '302' });
		expect(parseAddress('12号302室')).toEqual({
			compound: '',
			building: 12,
			unit: null,
			room: '302'
		});
		expect(parseAddress('三里亭苑5幢101')).toEqual({
			compound: '三里亭苑',
			building: 5,
			unit: null,
			room: '101'
		});
	});
	it('match a household by the parts given, and write it out', () => {
		const h: AddressHousehold = {
			householdId: 1,
			compound: '文渊名邸',
			building: '3幢',
			unit: '2单元',
			room: '302',
			members: 3,
			buildingCode: 'B0001'
		};
		expect(addressMatches(h, parseAddress('文渊名邸3幢2单元302'))).toBe(true);
		expect(addressMatches(h, parseAddress('3-2-302'))).toBe(true);
		expect(addressMatches(h, parseAddress('文渊名邸3幢'))).toBe(true);
		expect(addressMatches(h, parseAddress('文渊名邸3幢1单元302'))).toBe(false);
		expect(addressMatches(h, parseAddress('金沙湖3幢2单元302'))).toBe(false);
		expect(addressText(h)).toBe('文渊名邸3幢2单元302室');
		expect(addressText({ compound: null, building: '12号', unit: null, room: '302' })).toBe(
			'12号302室'
		);
	});
	it('number rooms two to a floor in each unit', () => {
		expect(unitAndRoom(3, 0)).toEqual({ unit: 1, room: '301' });
		expect(unitAndRoom(3, 1)).toEqual({ unit: 1, room: '302' });
		expect(unitAndRoom(3, 3)).toEqual({ unit: 2, room: '302' });
		expect(unitAndRoom(12, 4)).toEqual({ unit: 3, room: '1201' });
	});
});

describe('requests from a phone', () => {
	it('are dated back by how long they waited in the outbox (at most seven days), whatever the phone’s clock', async () => {
		const { madeAt } = await import('../../src/lib/server/http');
		const at = (header?: string) =>
			madeAt(
				new Request('http://x/', {
					headers: header === undefined ? {} : { 'x-queued-ms': header }
				}),
				1_000_000_000_000
			);
		expect(at()).toBe(1_000_000_000_000);
		expect(at('90000')).toBe(1_000_000_000_000 - 90_000);
		expect(at('-5')).toBe(1_000_000_000_000);
		expect(at('soon')).toBe(1_000_000_000_000);
		expect(at(String(30 * 86_400_000))).toBe(1_000_000_000_000 - 7 * 86_400_000);
	});
	it('refuse text with control characters but keep tabs and line breaks', async () => {
		const { isPlainText } = await import('../../src/lib/server/http');
		expect(isPlainText('入户测温正常\n第二行\t')).toBe(true);
		expect(isPlainText('湖北\u0000武汉')).toBe(false);
		expect(isPlainText('\u007f')).toBe(false);
	});
});

describe('serviceSchedule', () => {
	const at = (text: string) => Date.parse(text);
	it('schedules a visit and garbage every day and groceries every third day from the second', () => {
		const tasks = serviceSchedule('2020-02-10', 14, at('2020-02-10T08:00:00+08:00'));
		const count = (kind: string) => tasks.filter((t) => t.kind === kind).length;
		expect([count('visit'), count('garbage'), count('delivery')]).toEqual([14, 14, 5]);
		expect(tasks.slice(0, 2)).toEqual([
			{ kind: 'visit', dueAt: at('2020-02-10T09:00:00+08:00') },
			{ kind: 'garbage', dueAt: at('2020-02-10T10:00:00+08:00') }
		]);
		expect(
			tasks.filter((t) => t.kind === 'delivery').map((t) => new Date(t.dueAt).toISOString())
		).toEqual(['11', '14', '17', '20', '23'].map((d) => `2020-02-${d}T08:00:00.000Z`));
	});
	it('gives days already over no tasks, and makes today’s past times due at once', () => {
		const recorded = at('2020-02-12T15:30:00+08:00');
		const tasks = serviceSchedule('2020-02-10', 3, recorded);
		expect(tasks).toEqual([
			{ kind: 'visit', dueAt: recorded },
			{ kind: 'garbage', dueAt: recorded }
		]);
		expect(serviceSchedule('2020-02-01', 5, recorded)).toEqual([]);
	});
});
