import { idNumberProblem, normaliseIdNumber } from '../../capture/model/id-number';
import { isMobile, maskName, maskPhone, normalisePhone } from '../../capture/model/mask';
import { readAddressParts } from './address-register';
import { columnName, type RowProblem, type RowReason } from './problem';
import type { ColumnMap, FieldSpec } from './table';

/**
 * The returnee register (返杭人员登记表): one row per person — name, ID number, phone, where they came
 * from and when they arrived — and where they live: a household code (户编码) or an address the
 * address register knows (小区, 楼幢, 单元, 门牌号/室, or one 地址 column).
 */
export type ReturneeField =
	| 'name'
	| 'idNumber'
	| 'phone'
	| 'origin'
	| 'arrivalDate'
	| 'householdCode'
	| 'community'
	| 'compound'
	| 'building'
	| 'unit'
	| 'room'
	| 'address';

export const RETURNEE_FIELDS: FieldSpec<ReturneeField>[] = [
	{ field: 'name', headers: ['姓名', '名字', '人员姓名', 'name'], required: true },
	{
		field: 'idNumber',
		headers: ['身份证号', '身份证号码', '公民身份号码', '证件号码', '身份证', 'id number', 'id'],
		required: true
	},
	{ field: 'phone', headers: ['联系电话', '手机号', '手机号码', '电话', '联系方式', 'phone'] },
	{
		field: 'origin',
		headers: ['来源地', '来自', '从何地返杭', '出发地', '来杭前所在地', '来源', 'origin'],
		required: true
	},
	{
		field: 'arrivalDate',
		headers: ['返杭日期', '抵杭日期', '到杭日期', '返杭时间', '抵杭时间', '到达日期', 'arrival'],
		required: true
	},
	{ field: 'householdCode', headers: ['户编码', '住户编码', '户号', 'household'] },
	{ field: 'community', headers: ['所属社区', '社区', '社区名称', 'community'] },
	{ field: 'compound', headers: ['小区', '小区名称', '小区名', '楼盘', 'compound'] },
	{ field: 'building', headers: ['楼幢', '幢', '楼栋', '栋', '楼号', '幢号', 'building'] },
	{ field: 'unit', headers: ['单元', '单元号', 'unit'] },
	{ field: 'room', headers: ['门牌号/室', '门牌号', '室', '房号', '室号', 'room'] },
	{ field: 'address', headers: ['地址', '详细地址', '住址', '现住址', '居住地址', 'address'] }
];

/**
 * A returnee as a batch keeps them: never the ID number, name or phone as typed (only the keyed
 * hash and the masks Gridwatch stores anywhere), with where they live still to be found.
 */
export interface ReturneeRow {
	row: number;
	idHash: string;
	nameMasked: string;
	phoneMasked: string | null;
	/** Keyed hashes of the name's forms and of the phone, for 横向查重 (see model/duplicates). */
	nameKeys: string[];
	phoneHash: string | null;
	origin: string;
	/** YYYY-MM-DD, Beijing. */
	arrivalDate: string;
	/** The arrival moment (ms) when the file gives a time of day, else null (counted from the day's start). */
	arrivedAt: number | null;
	householdCode: string | null;
	address: {
		community: string | null;
		compound: string;
		building: number;
		unit: number | null;
		room: string;
		/** Read from the one 地址 column, or from 小区/楼幢/单元/室 (what an error names). */
		via: 'address' | 'columns';
	} | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date as registers write it — 2020-01-25, 2020/1/25, 2020.1.25, 20200125, 2020年1月25日 — with
 * an optional time (14:30 or 14:30:05), read as Beijing time. Null when it is no real date.
 */
export function readDate(text: string): { day: string; at: number | null } | null {
	const plain = text
		.trim()
		.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
		.replace(/[－—–‐]/g, '-')
		.replace(/：/g, ':')
		.replace(/\s*([年月日号时分秒])\s*/g, '$1')
		.replace(/\s+/g, ' ');
	// The time follows a space, a T, or 日/号 directly (2020年1月25日14:30); never digits run together.
	const m =
		/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})(?:[日号]?$|(?:[日号]?[T ]|[日号])(\d{1,2})[:时](\d{2})分?(?::?(\d{2})秒?)?(?:\.\d+)?(Z|\+08:?00)?$)/.exec(
			plain
		) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(plain);
	if (!m) return null;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	if (
		year < 1900 ||
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day
	)
		return null;
	if (m[4] === undefined) return { day: `${year}-${pad(month)}-${pad(day)}`, at: null };
	const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
	if (hour > 23 || minute > 59 || second > 59) return null;
	// Beijing is UTC+8 all year; a time marked Z is UTC, and its Beijing day may be the next.
	const at = Date.UTC(year, month - 1, day, hour - (m[7] === 'Z' ? 0 : 8), minute, second);
	return { day: new Date(at + 8 * 3_600_000).toISOString().slice(0, 10), at };
}

/**
 * Checks each row of a returnee register by itself and against the rows above it: the name, the ID
 * number (GB 11643, as the form checks it), a mobile phone if given, the origin, an arrival date in
 * the data period and not after `today`, and where they live; an ID number twice in the file is
 * refused the second time. `hash`, `hashName` and `hashPhone` are the server's keyed hashes.
 */
export function checkReturneeRows(
	records: { row: number; values: Partial<Record<ReturneeField, string>> }[],
	map: ColumnMap<ReturneeField>,
	context: {
		today: string;
		clock: number;
		first: string | null;
		hash: (id: string) => string;
		hashName: (name: string) => string[];
		hashPhone: (digits: string) => string;
	}
): { rows: ReturneeRow[]; problems: RowProblem[] } {
	const rows: ReturneeRow[] = [];
	const problems: RowProblem[] = [];
	const seen = new Map<string, number>();
	for (const { row, values } of records) {
		const found: RowProblem[] = [];
		const refuse = (field: ReturneeField, reason: RowReason, detail?: string) =>
			found.push({
				row,
				column: columnName(map, field),
				// A person's ID number, name and phone are shown masked even in the error list (the report is
				// a file that travels; the batch keeps it): enough to find the row in one's own file.
				value: masked(field, values[field] ?? ''),
				reason,
				detail
			});
		const name = (values.name ?? '').replace(/\s+/g, ' ').trim();
		if (!name) refuse('name', 'required');
		else if ([...name].length > 30 || !/^[\p{L}\p{M}·•.' -]+$/u.test(name))
			refuse('name', 'name_invalid');
		const id = normaliseIdNumber(values.idNumber ?? '');
		const idProblem = id ? idNumberProblem(id, context.today) : null;
		if (!id) refuse('idNumber', 'required');
		// A spreadsheet that stored the ID as a number kept 15 digits of it (the sheet reader gives it as 4.2E+17).
		else if (/^\d(\.\d+)?E\+\d+$/i.test(id)) refuse('idNumber', 'id_stored_as_number');
		else if (idProblem) refuse('idNumber', 'id_invalid', idProblem);
		const phone = normalisePhone(values.phone ?? '');
		if (phone && !isMobile(phone)) refuse('phone', 'phone_invalid');
		const origin = (values.origin ?? '').replace(/\s+/g, '');
		if (!origin) refuse('origin', 'required');
		else if ([...origin].length < 2 || [...origin].length > 40)
			refuse('origin', 'out_of_range', '2–40');
		const date = values.arrivalDate ? readDate(values.arrivalDate) : null;
		if (!values.arrivalDate) refuse('arrivalDate', 'required');
		else if (!date) refuse('arrivalDate', 'date_invalid');
		else if (date.day > context.today || (date.at !== null && date.at > context.clock + 60_000))
			refuse('arrivalDate', 'date_future', context.today);
		else if (context.first !== null && date.day < context.first)
			refuse('arrivalDate', 'date_before_period', context.first);
		const householdCode = (values.householdCode ?? '').trim();
		let address: ReturneeRow['address'] = null;
		if (householdCode) {
			if (!/^[0-9A-Za-z-]{1,40}$/.test(householdCode)) refuse('householdCode', 'household_unknown');
		} else if (values.address || values.compound || values.building || values.room) {
			const before = found.length;
			const parts = readAddressParts(values, refuse);
			if (found.length === before)
				address = {
					community: values.community?.replace(/\s+/g, '') || null,
					compound: parts.compound,
					building: parts.building!,
					unit: parts.unit,
					room: parts.room,
					via:
						values.address && !(values.compound && values.building && values.room)
							? 'address'
							: 'columns'
				};
		} else refuse(map.columns.address !== undefined ? 'address' : 'householdCode', 'required');
		if (!found.length) {
			const hash = context.hash(id);
			const first = seen.get(hash);
			if (first !== undefined) refuse('idNumber', 'id_duplicate_in_file', String(first));
			else {
				seen.set(hash, row);
				rows.push({
					row,
					idHash: hash,
					nameMasked: maskName(name),
					phoneMasked: phone ? maskPhone(phone) : null,
					nameKeys: context.hashName(name),
					phoneHash: phone ? context.hashPhone(phone) : null,
					origin,
					arrivalDate: date!.day,
					arrivedAt: date!.at,
					householdCode: householdCode || null,
					address
				});
			}
		}
		problems.push(...found);
	}
	return { rows, problems };
}

/** A refused cell as the error list shows it: a person's ID number, name and phone masked, the rest as is. */
function masked(field: ReturneeField, value: string): string {
	if (!value) return value;
	if (field === 'idNumber') return maskId(value);
	if (field === 'name') return maskName(value.slice(0, 40));
	if (field === 'phone') {
		const chars = [...value.replace(/\s+/g, '')];
		// A mobile's length or more: its first 3 and last 4; shorter (a landline), only its last 2.
		if (chars.length >= 11)
			return `${chars.slice(0, 3).join('')}${'*'.repeat(Math.min(chars.length - 7, 12))}${chars.slice(-4).join('')}`;
		return chars.length > 4
			? `${'*'.repeat(chars.length - 2)}${chars.slice(-2).join('')}`
			: '*'.repeat(chars.length);
	}
	return value;
}

/** 330106199001011234 → 330106********1234: enough to find the row, not enough to be the number. */
export function maskId(typed: string): string {
	const id = normaliseIdNumber(typed);
	return id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id;
}
