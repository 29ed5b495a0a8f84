/**
 * Addresses as people say them: compound → building → unit → room (文渊名邸3幢2单元302室). A
 * household is an address. Buildings outside a compound (villages, dormitories) are numbered in their
 * grid: 12号.
 */

/** One household of a grid's address list (GET /api/addresses). */
export interface AddressHousehold {
	householdId: number;
	/** The compound's name, or null for a building outside any compound. */
	compound: string | null;
	/** 3幢 in a compound, 12号 outside one. */
	building: string;
	/** 2单元, or null where the building has no units. */
	unit: string | null;
	/** 302 */
	room: string;
	members: number;
	/** The building's code, as the map knows it (a tap on the grid's map picks its building). */
	buildingCode: string;
}

/** What a typed address names; each part may be missing (a search for a building lists its rooms). */
export interface AddressQuery {
	compound: string;
	building: number | null;
	unit: number | null;
	room: string | null;
}

const CHINESE_DIGITS: Record<string, number> = {
	零: 0,
	〇: 0,
	一: 1,
	二: 2,
	两: 2,
	三: 3,
	四: 4,
	五: 5,
	六: 6,
	七: 7,
	八: 8,
	九: 9
};

/** 十二 → 12, 三 → 3, 二十 → 20 (building and unit numbers are small). */
function chineseNumber(text: string): string {
	return text.replace(/[零〇一二两三四五六七八九十]+/g, (run) => {
		if (!run.includes('十')) return [...run].map((c) => CHINESE_DIGITS[c]).join('');
		const [tens, ones] = run.split('十');
		return String(
			(tens ? (CHINESE_DIGITS[tens] ?? 1) : 1) * 10 + (ones ? (CHINESE_DIGITS[ones] ?? 0) : 0)
		);
	});
}

/** Full-width digits and dashes made plain, spaces dropped: `文渊名邸 ３栋` → `文渊名邸3栋`. */
export function normaliseAddress(typed: string): string {
	return typed
		.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
		.replace(/[－—–‐]/g, '-')
		.replace(/＃/g, '#')
		.replace(/\s+/g, '');
}

const BUILDING_MARK = /^(幢|栋|號樓|号楼|座|#|号)/;

/**
 * Reads a typed address in any of the usual forms: 文渊名邸3幢2单元302室, 文渊名邸 3栋 2单元 302,
 * 文渊名邸3号楼2-302, 文渊名邸3-2-302, 文渊名邸三幢二单元302. Numbers with a mark (幢/栋/号楼, 单元,
 * 室) are what the mark says; unmarked ones fill building, unit, room in turn, and a last number of
 * three or more digits is the room.
 */
export function parseAddress(typed: string): AddressQuery {
	const text = normaliseAddress(typed);
	// The compound is what comes before the first number (Chinese numerals count as numbers only
	// when a building or unit mark follows them, so 三里亭苑 keeps its name).
	const match = /^(.*?)(?=\d|[零〇一二两三四五六七八九十]+(?:幢|栋|号楼|单元|座))/.exec(text);
	const compound = match ? match[1] : text;
	let rest = chineseNumber(text.slice(compound.length));
	const query: AddressQuery = { compound, building: null, unit: null, room: null };
	const unmarked: string[] = [];
	while (rest.length) {
		const number = /^(\d+)/.exec(rest);
		if (!number) {
			rest = rest.slice(1);
			continue;
		}
		rest = rest.slice(number[1].length);
		const digits = number[1];
		if (rest.startsWith('单元')) {
			query.unit = Number(digits);
			rest = rest.slice(2);
		} else if (/^(室|户)/.test(rest)) {
			query.room = digits;
			rest = rest.slice(1);
		} else if (BUILDING_MARK.test(rest) && !(rest.startsWith('号') && query.building !== null)) {
			query.building = Number(digits);
			rest = rest.replace(BUILDING_MARK, '');
		} else if (rest.startsWith('号')) {
			query.room = digits;
			rest = rest.slice(1);
		} else {
			unmarked.push(digits);
			rest = rest.replace(/^-/, '');
		}
	}
	if (unmarked.length && query.room === null && unmarked[unmarked.length - 1].length >= 3)
		query.room = unmarked.pop()!;
	for (const digits of unmarked) {
		if (query.building === null) query.building = Number(digits);
		else if (query.unit === null) query.unit = Number(digits);
		else if (query.room === null) query.room = digits;
	}
	return query;
}

const partNumber = (part: string | null) => (part === null ? null : Number(/\d+/.exec(part)?.[0]));

/** Whether a household is one the query names (every part the query gives matches). */
export function addressMatches(h: AddressHousehold, q: AddressQuery): boolean {
	if (q.compound && !(h.compound ?? '').replace(/\s+/g, '').includes(q.compound)) return false;
	if (q.building !== null && partNumber(h.building) !== q.building) return false;
	if (q.unit !== null && partNumber(h.unit) !== q.unit) return false;
	if (q.room !== null && Number(h.room) !== Number(q.room)) return false;
	return true;
}

/** A building's name in its address: 3幢 in a compound, 12号 outside one; its code when unnumbered. */
export function buildingLabel(number: number | null, inCompound: boolean, code: string): string {
	if (number === null) return code;
	return inCompound ? `${number}幢` : `${number}号`;
}

/** 2 → 2单元; null where the building has no units. */
export const unitLabel = (unit: number | null) => (unit === null ? null : `${unit}单元`);

/** 文渊名邸3幢2单元302室; 12号302室 outside a compound. */
export function addressText(h: Pick<AddressHousehold, 'compound' | 'building' | 'unit' | 'room'>) {
	return `${h.compound ?? ''}${h.building}${h.unit ?? ''}${h.room}室`;
}

/**
 * A room and unit from a household's place in its building, as the demo numbers them: floor by
 * floor, two rooms per floor in each unit. `column` counts from 0 along the floor.
 */
export function unitAndRoom(floor: number, column: number): { unit: number; room: string } {
	return {
		unit: Math.floor(column / 2) + 1,
		room: `${floor}${String((column % 2) + 1).padStart(2, '0')}`
	};
}
