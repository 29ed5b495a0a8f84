import { normaliseAddress, parseAddress } from '../../capture/model/address';
import type { ColumnMap, FieldSpec } from './table';
import { columnName, type RowProblem, type RowReason } from './problem';

/**
 * The address register (门牌地址库): one row per household — compound, building, unit, room and its
 * registered members — in separate columns or as one address (文渊名邸3幢2单元302室). A building not
 * yet known needs its coordinates (经度, 纬度) in one of its rows.
 */
export type AddressField =
	| 'community'
	| 'compound'
	| 'building'
	| 'unit'
	| 'room'
	| 'address'
	| 'members'
	| 'floors'
	| 'lng'
	| 'lat';

export const ADDRESS_FIELDS: FieldSpec<AddressField>[] = [
	{ field: 'community', headers: ['所属社区', '社区', '社区名称', 'community'] },
	{ field: 'compound', headers: ['小区', '小区名称', '小区名', '楼盘', '小区/楼盘', 'compound'] },
	{
		field: 'building',
		headers: ['楼幢', '幢', '楼栋', '栋', '楼号', '幢号', '楼幢号', 'building']
	},
	{ field: 'unit', headers: ['单元', '单元号', 'unit'] },
	{ field: 'room', headers: ['门牌号/室', '门牌号', '室', '房号', '室号', '房间号', 'room'] },
	{ field: 'address', headers: ['地址', '详细地址', '住址', '门牌地址', 'address'] },
	{
		field: 'members',
		headers: ['户籍人数', '人数', '户内人数', '家庭人数', '常住人数', '在册人数', 'members'],
		required: true
	},
	{ field: 'floors', headers: ['楼层数', '层数', '总层数', 'floors'] },
	{ field: 'lng', headers: ['经度', 'lng', 'lon', 'longitude', 'x'] },
	{ field: 'lat', headers: ['纬度', 'lat', 'latitude', 'y'] }
];

/** A household as the register gives it, checked in itself (the database checks the rest). */
export interface AddressRow {
	row: number;
	community: string | null;
	compound: string;
	building: number;
	unit: number | null;
	room: string;
	members: number;
	floors: number | null;
	/** WGS84, once converted from the file's datum. */
	lng: number | null;
	lat: number | null;
	/** The coordinates as the file gave them (for the datum hint). */
	raw: [number, number] | null;
}

const whole = (text: string) => {
	const plain = normaliseAddress(text).replace(/(幢|栋|号楼|号|座|单元|室|层|户|人|#)$/u, '');
	return /^\d{1,6}$/.test(plain) ? Number(plain) : null;
};

/** The fields that name a household's address, in separate columns or as one 地址. */
type AddressPart = 'compound' | 'building' | 'unit' | 'room' | 'address';

/**
 * A household's address from a row: compound, building, unit and room from their columns, or what
 * is missing from one address column (文渊名邸3幢2单元302室). Anything unreadable is refused through
 * `refuse`, never guessed; the parts are then not to be used.
 */
export function readAddressParts<F extends string>(
	values: Partial<Record<F | AddressPart, string>>,
	refuse: (field: AddressPart, reason: RowReason) => void
): { compound: string; building: number | null; unit: number | null; room: string } {
	let compound = (values.compound ?? '').replace(/\s+/g, '');
	let building = values.building ? whole(values.building) : null;
	let unit = values.unit ? whole(values.unit) : null;
	let room = values.room ? normaliseAddress(values.room).replace(/(室|号|户)$/u, '') : '';
	if (values.address && (!compound || building === null || !room)) {
		const parsed = parseAddress(values.address);
		compound ||= parsed.compound;
		building ??= parsed.building;
		unit ??= parsed.unit;
		room ||= parsed.room ?? '';
		// What the parser skipped (letters, slashes) would make it another address: refuse, never guess.
		const rest = normaliseAddress(values.address).slice(parsed.compound.length);
		if (
			!compound ||
			building === null ||
			building < 1 ||
			building > 999_999 ||
			(unit !== null && (unit < 1 || unit > 999)) ||
			!/^[0-9A-Za-z-]{1,8}$/.test(room) ||
			/[A-Za-z/\\]/.test(rest)
		)
			refuse('address', 'address_unreadable');
	} else {
		if (!compound) refuse('compound', 'required');
		if (!values.building) refuse('building', 'required');
		else if (building === null || building < 1) refuse('building', 'not_a_whole_number');
		if (values.unit && (unit === null || unit < 1 || unit > 999))
			refuse('unit', 'not_a_whole_number');
		if (!values.room) refuse('room', 'required');
		else if (!/^[0-9A-Za-z-]{1,8}$/.test(room)) refuse('room', 'room_unreadable');
	}
	return { compound, building, unit, room };
}

/**
 * Checks each row of an address register by itself and against the rows above it: numbers are
 * whole and in range, the address readable, coordinates in pairs, no address twice. `toWgs84` turns
 * the file's coordinates into WGS84 (the import says its datum).
 */
export function checkAddressRows(
	records: { row: number; values: Partial<Record<AddressField, string>> }[],
	map: ColumnMap<AddressField>,
	toWgs84: (lng: number, lat: number) => [number, number]
): { rows: AddressRow[]; problems: RowProblem[] } {
	const rows: AddressRow[] = [];
	const problems: RowProblem[] = [];
	const seen = new Map<string, number>();
	for (const { row, values } of records) {
		const found: RowProblem[] = [];
		const refuse = (field: AddressField, reason: RowReason, detail?: string) =>
			found.push({
				row,
				column: columnName(map, field),
				value: values[field] ?? '',
				reason,
				detail
			});
		const { compound, building, unit, room } = readAddressParts(values, refuse);
		const members = values.members ? whole(values.members) : null;
		if (!values.members) refuse('members', 'required');
		else if (members === null) refuse('members', 'not_a_whole_number');
		else if (members > 99) refuse('members', 'out_of_range', '0–99');
		const floors = values.floors ? whole(values.floors) : null;
		if (values.floors && (floors === null || floors < 1 || floors > 200))
			refuse('floors', 'out_of_range', '1–200');
		let lng: number | null = null;
		let lat: number | null = null;
		let raw: [number, number] | null = null;
		if (values.lng || values.lat) {
			const x = Number(normaliseAddress(values.lng ?? ''));
			const y = Number(normaliseAddress(values.lat ?? ''));
			if (!values.lng || !values.lat) refuse(values.lng ? 'lat' : 'lng', 'coordinate_pair');
			else if (!Number.isFinite(x) || x < 73 || x > 136) refuse('lng', 'out_of_range', '73–136');
			else if (!Number.isFinite(y) || y < 3 || y > 54) refuse('lat', 'out_of_range', '3–54');
			else {
				raw = [x, y];
				[lng, lat] = toWgs84(x, y);
			}
		}
		if (!found.length) {
			const community = values.community?.replace(/\s+/g, '') ?? '';
			const address = `${community}|${compound}|${building}|${unit ?? ''}|${room.replace(/^0+/, '')}`;
			const first = seen.get(address);
			if (first !== undefined)
				refuse(values.address ? 'address' : 'room', 'duplicate_in_file', String(first));
			else seen.set(address, row);
		}
		if (found.length) problems.push(...found);
		else
			rows.push({
				row,
				community: values.community?.replace(/\s+/g, '') || null,
				compound,
				building: building!,
				unit,
				room,
				members: members!,
				floors,
				lng,
				lat,
				raw
			});
	}
	return { rows, problems };
}
