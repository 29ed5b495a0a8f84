import gcoord from 'gcoord';

/**
 * The datum a file's coordinates are in: WGS84 (GPS; CGCS2000 and Tianditu agree with it to
 * centimetres), GCJ-02 (AMap, Tencent: shifted 100–700 m in China) or BD-09 (Baidu). Stored data is
 * always WGS84.
 */
export const DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type Datum = (typeof DATUMS)[number];

const FROM = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A point of `datum` in WGS84, [lng, lat]. */
export function toWgs84(datum: Datum, lng: number, lat: number): [number, number] {
	if (datum === 'wgs84') return [lng, lat];
	const [x, y] = gcoord.transform([lng, lat], FROM[datum], gcoord.WGS84);
	return [x, y];
}

/** A WGS84 point in `datum`, [lng, lat] (the inverse of toWgs84). */
export function fromWgs84(datum: Datum, lng: number, lat: number): [number, number] {
	if (datum === 'wgs84') return [lng, lat];
	const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, FROM[datum]);
	return [x, y];
}
