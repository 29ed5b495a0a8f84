import { unzipSync } from 'fflate';
import * as shapefile from 'shapefile';
import { XMLParser } from 'fast-xml-parser';
import proj4 from 'proj4';
import type { AreaFeature } from '../model/area-register';

/**
 * Reads a boundary file — GeoJSON, a zipped shapefile (.shp, .shx, .dbf, .prj, .cpg) or KML/KMZ —
 * into features with text attributes. A shapefile's attributes are decoded as its .cpg says (UTF-8,
 * GBK/936 …), else as its DBF's language byte says, else as their bytes read (UTF-8 when valid,
 * GB18030 otherwise: what Chinese ArcGIS and older QGIS write). A projected CRS (a .prj, or a
 * GeoJSON `crs` naming a CGCS2000 Gauss–Krüger zone) is unprojected here; the datum shift (GCJ-02,
 * BD-09) is the caller's.
 */
export type AreaFormat = 'geojson' | 'shapefile' | 'kml';

export type AreaFileProblem =
	| 'not_area_file'
	| 'zip_unreadable'
	| 'shp_missing'
	| 'shapefile_unreadable'
	| 'geojson_unreadable'
	| 'kml_unreadable'
	| 'crs_unknown'
	| 'too_many_features'
	| 'no_features';

export class AreaFileError extends Error {
	constructor(
		readonly problem: AreaFileProblem,
		readonly detail = ''
	) {
		super(`${problem}${detail ? `: ${detail}` : ''}`);
	}
}

export interface AreaFile {
	format: AreaFormat;
	/** A shapefile's attribute encoding, and where it was learnt. */
	encoding?: { name: 'utf-8' | 'gb18030'; from: 'cpg' | 'dbf' | 'detected' };
	/** The projected CRS the file's coordinates were taken out of (its name), or null: degrees. */
	projection: string | null;
	features: AreaFeature[];
}

/** The most a zip may unpack to (the parts read): a city's grids as a shapefile are ≈ 30 MB. */
const MAX_UNZIPPED = 64 * 1024 * 1024;
/** The most features one file may hold (a city's grids are ≈ 10,000). */
const MAX_FEATURES = 50_000;

const text = (value: unknown): string => {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value).trim();
	try {
		return JSON.stringify(value).slice(0, 200);
	} catch {
		return '';
	}
};

const attributes = (props: Record<string, unknown> | null | undefined) =>
	Object.fromEntries(Object.entries(props ?? {}).map(([k, v]) => [k.trim(), text(v)]));

/** CGCS2000 3-degree Gauss–Krüger: EPSG 4534–4554 (central meridian 75–135°E), 4513–4533 with the zone in the easting. */
function epsgProjection(code: number): string | null {
	if (code >= 4534 && code <= 4554)
		return `+proj=tmerc +lat_0=0 +lon_0=${75 + (code - 4534) * 3} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
	if (code >= 4513 && code <= 4533) {
		const zone = 25 + code - 4513;
		return `+proj=tmerc +lat_0=0 +lon_0=${zone * 3} +k=1 +x_0=${zone * 1_000_000 + 500_000} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
	}
	return null;
}

/**
 * Geographic CRSs the app reads as WGS84: CGCS2000 agrees with it to centimetres. Beijing 1954 and
 * Xian 1980 (EPSG 4214, 4610, and the projections on them) are 50–100 m off without a local shift
 * this app does not have: refused, to be converted to CGCS2000 first.
 */
const GEOGRAPHIC = new Set([4326, 4490]);
const OLD_DATUM = /Beijing[_ ]?1954|Xian[_ ]?1980|Krasovsky|IAG[_ ]?1975/i;

/** Unprojects every position of each feature's geometry (in place). */
function unproject(features: AreaFeature[], definition: string) {
	const converter = proj4(definition, 'WGS84');
	// Positions that are not two finite numbers are left as they are (the checks refuse their feature);
	// arrays nested past a polygon's depth are not walked.
	const walk = (c: unknown, depth: number): unknown =>
		Array.isArray(c) && typeof c[0] === 'number'
			? Number.isFinite(c[0]) && Number.isFinite(c[1])
				? converter.forward([c[0], c[1]])
				: c
			: Array.isArray(c) && depth < 4
				? c.map((x) => walk(x, depth + 1))
				: c;
	for (const f of features)
		if (f.geometry?.coordinates) f.geometry.coordinates = walk(f.geometry.coordinates, 0);
}

/** A .prj's projection, or null for a geographic one; an unreadable .prj is refused. */
function prjDefinition(prj: string): { definition: string; name: string } | null {
	const wkt = prj.replace(/^\uFEFF/, '').trim();
	if (OLD_DATUM.test(wkt)) throw new AreaFileError('crs_unknown', wkt.slice(0, 80));
	if (!wkt || /^GEOGCS|^GEOGCRS/i.test(wkt)) return null;
	try {
		proj4(wkt, 'WGS84').forward([500000, 3300000]);
	} catch {
		throw new AreaFileError('crs_unknown', wkt.slice(0, 80));
	}
	return { definition: wkt, name: /^PROJCS\["([^"]+)"/i.exec(wkt)?.[1] ?? 'PROJCS' };
}

function readGeoJson(source: string): AreaFile {
	let json: {
		type?: string;
		features?: unknown[];
		geometry?: unknown;
		properties?: unknown;
		crs?: { properties?: { name?: string } };
	};
	try {
		json = JSON.parse(source);
	} catch (cause) {
		throw new AreaFileError('geojson_unreadable', (cause as Error).message.slice(0, 120));
	}
	const list =
		json?.type === 'FeatureCollection' && Array.isArray(json.features)
			? json.features
			: json?.type === 'Feature'
				? [json]
				: null;
	if (!list) throw new AreaFileError('geojson_unreadable', 'FeatureCollection');
	if (list.length > MAX_FEATURES)
		throw new AreaFileError('too_many_features', String(MAX_FEATURES));
	const features: AreaFeature[] = list.map((f, i) => {
		const feature = f as {
			properties?: Record<string, unknown>;
			geometry?: AreaFeature['geometry'];
		};
		return {
			row: i + 1,
			properties: attributes(feature?.properties),
			geometry: feature?.geometry && typeof feature.geometry === 'object' ? feature.geometry : null
		};
	});
	// GeoJSON is WGS84 (RFC 7946); an older file may name another CRS.
	const crs = json.crs?.properties?.name ?? '';
	const epsg = /EPSG:+(\d+)$/i.exec(crs)?.[1];
	let projection: string | null = null;
	if (epsg && !GEOGRAPHIC.has(Number(epsg))) {
		const definition = epsgProjection(Number(epsg));
		if (!definition) throw new AreaFileError('crs_unknown', crs);
		unproject(features, definition);
		projection = `EPSG:${epsg}`;
	}
	return { format: 'geojson', projection, features };
}

const CPG: Record<string, 'utf-8' | 'gb18030'> = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	'65001': 'utf-8',
	gbk: 'gb18030',
	gb2312: 'gb18030',
	gb18030: 'gb18030',
	'936': 'gb18030',
	cp936: 'gb18030',
	'ansi 936': 'gb18030',
	'windows-936': 'gb18030'
};

/** The DBF's attribute encoding: its .cpg, its language driver byte (0x4D, 0x7A: code page 936), or its bytes. */
function dbfEncoding(dbf: Uint8Array, cpg: string | null): NonNullable<AreaFile['encoding']> {
	const named = cpg ? CPG[cpg.trim().toLowerCase()] : undefined;
	if (named) return { name: named, from: 'cpg' };
	if (dbf.length > 32 && (dbf[29] === 0x4d || dbf[29] === 0x7a))
		return { name: 'gb18030', from: 'dbf' };
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(32));
		return { name: 'utf-8', from: 'detected' };
	} catch {
		return { name: 'gb18030', from: 'detected' };
	}
}

/**
 * The .shp's records walked by their headers before the library reads them: a length past the
 * file's end or a record too short is refused here (the library would scan a damaged file 4 bytes
 * at a time, holding the server).
 */
function checkShp(shp: Uint8Array) {
	const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
	if (shp.length < 100 || view.getInt32(0) !== 9994)
		throw new AreaFileError('shapefile_unreadable', '.shp header');
	for (let at = 100, n = 1; at < shp.length; n++) {
		if (at + 12 > shp.length) throw new AreaFileError('shapefile_unreadable', `record ${n}`);
		const words = view.getInt32(at + 4);
		if (words < 2 || at + 8 + words * 2 > shp.length)
			throw new AreaFileError('shapefile_unreadable', `record ${n}`);
		at += 8 + words * 2;
	}
}

async function readShapefile(files: Record<string, Uint8Array>): Promise<AreaFile> {
	const parts = Object.keys(files).filter((k) => !/(^|\/)__MACOSX\//.test(k));
	const shpName = parts.filter((k) => /\.shp$/i.test(k)).sort()[0];
	if (!shpName) throw new AreaFileError('shp_missing');
	// The other parts of that layer: the same name, another extension (a zip may hold several layers).
	const base = shpName.slice(0, -4).toLowerCase();
	const part = (ext: string) => {
		const key = parts.find((k) => k.toLowerCase() === `${base}${ext}`);
		return key ? files[key] : null;
	};
	const shp = files[shpName];
	checkShp(shp);
	const dbf = part('.dbf');
	const cpg = part('.cpg');
	const prj = part('.prj');
	const encoding = dbf ? dbfEncoding(dbf, cpg ? new TextDecoder().decode(cpg) : null) : undefined;
	const features: AreaFeature[] = [];
	try {
		const source = await shapefile.open(shp.slice().buffer, dbf ? dbf.slice().buffer : undefined, {
			encoding: encoding?.name ?? 'utf-8'
		});
		for (;;) {
			const next = await source.read();
			if (next.done) break;
			// A turn of the event loop now and then: other requests are served while a big file is read.
			if (features.length % 500 === 499) await new Promise((go) => setImmediate(go));
			if (features.length >= MAX_FEATURES)
				throw new AreaFileError('too_many_features', String(MAX_FEATURES));
			features.push({
				row: features.length + 1,
				properties: attributes(next.value.properties as Record<string, unknown>),
				geometry: next.value.geometry as AreaFeature['geometry']
			});
		}
	} catch (cause) {
		if (cause instanceof AreaFileError) throw cause;
		throw new AreaFileError('shapefile_unreadable', (cause as Error).message.slice(0, 120));
	}
	const projected = prj ? prjDefinition(new TextDecoder().decode(prj)) : null;
	try {
		if (projected) unproject(features, projected.definition);
	} catch (cause) {
		throw new AreaFileError('crs_unknown', (cause as Error).message.slice(0, 80));
	}
	return { format: 'shapefile', encoding, projection: projected?.name ?? null, features };
}

/** `lng,lat[,alt] lng,lat …` → positions. */
const kmlPositions = (coordinates: unknown) =>
	text(coordinates)
		.split(/\s+/)
		.filter(Boolean)
		.map((t) => t.split(',').map(Number).slice(0, 2));

function kmlPolygon(polygon: Record<string, unknown>): unknown[] {
	const ring = (boundary: unknown) =>
		kmlPositions(
			((boundary as Record<string, unknown>)?.LinearRing as Record<string, unknown>)?.coordinates
		);
	const inner = polygon.innerBoundaryIs;
	return [
		ring(polygon.outerBoundaryIs),
		...(Array.isArray(inner) ? inner : inner ? [inner] : []).map(ring)
	];
}

function readKml(source: string): AreaFile {
	let doc: Record<string, unknown>;
	try {
		doc = new XMLParser({
			ignoreAttributes: false,
			attributeNamePrefix: '@',
			removeNSPrefix: true,
			processEntities: true,
			// Codes stay texts: 0501 is not 501.
			parseTagValue: false,
			parseAttributeValue: false,
			isArray: (name) =>
				['Placemark', 'Polygon', 'Data', 'SimpleData', 'Folder', 'Document'].includes(name)
		}).parse(source, true);
	} catch (cause) {
		throw new AreaFileError('kml_unreadable', (cause as Error).message.slice(0, 120));
	}
	if (!doc || typeof doc !== 'object' || !('kml' in doc))
		throw new AreaFileError('kml_unreadable', '<kml>');
	const placemarks: Record<string, unknown>[] = [];
	const walk = (node: unknown) => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (!node || typeof node !== 'object') return;
		for (const [key, value] of Object.entries(node)) {
			if (key === 'Placemark')
				for (const p of value as Record<string, unknown>[]) {
					if (placemarks.length >= MAX_FEATURES)
						throw new AreaFileError('too_many_features', String(MAX_FEATURES));
					placemarks.push(p);
				}
			else if (key === 'Document' || key === 'Folder' || key === 'kml') walk(value);
		}
	};
	walk(doc);
	if (placemarks.length > MAX_FEATURES)
		throw new AreaFileError('not_area_file', String(placemarks.length));
	const features = placemarks.map((p, i): AreaFeature => {
		const properties: Record<string, string> = {};
		if (p.name !== undefined) properties.name = text(p.name);
		const extended = p.ExtendedData as Record<string, unknown> | undefined;
		for (const d of (extended?.Data as Record<string, unknown>[]) ?? [])
			properties[text(d['@name'])] = text(d.value);
		const schemaData = extended?.SchemaData;
		for (const s of Array.isArray(schemaData) ? schemaData : schemaData ? [schemaData] : [])
			for (const d of ((s as Record<string, unknown>).SimpleData as Record<string, unknown>[]) ??
				[])
				properties[text(d['@name'])] = text(d['#text']);
		const multi = p.MultiGeometry as Record<string, unknown> | undefined;
		const list = ((multi?.Polygon ?? p.Polygon) as Record<string, unknown>[] | undefined) ?? [];
		const geometry = list.length
			? list.length === 1
				? { type: 'Polygon', coordinates: kmlPolygon(list[0]) }
				: { type: 'MultiPolygon', coordinates: list.map(kmlPolygon) }
			: p.Point || p.LineString
				? { type: p.Point ? 'Point' : 'LineString' }
				: null;
		return { row: i + 1, properties, geometry };
	});
	return { format: 'kml', projection: null, features };
}

const startsWith = (bytes: Uint8Array, ...b: number[]) => b.every((x, i) => bytes[i] === x);

/** Reads a boundary file by its content (not its name): zip (shapefile or KMZ), `<` (KML) or `{` (GeoJSON). */
export async function readAreaFile(bytes: Uint8Array): Promise<AreaFile> {
	let file: AreaFile;
	if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
		let files: Record<string, Uint8Array>;
		try {
			// Only the parts read, and none larger than a city's boundaries could be (a zip bomb is refused).
			let total = 0;
			files = unzipSync(bytes, {
				filter: (f) => {
					if (!/\.(shp|dbf|prj|cpg|kml)$/i.test(f.name)) return false;
					total += f.originalSize;
					if (total > MAX_UNZIPPED)
						throw new AreaFileError('zip_unreadable', `> ${MAX_UNZIPPED / 1048576} MB`);
					return true;
				}
			});
		} catch (cause) {
			if (cause instanceof AreaFileError) throw cause;
			throw new AreaFileError('zip_unreadable', (cause as Error).message.slice(0, 120));
		}
		const kml = Object.keys(files).find(
			(k) => k.toLowerCase().endsWith('.kml') && !/(^|\/)__MACOSX\//.test(k)
		);
		const hasShp = Object.keys(files).some((k) => k.toLowerCase().endsWith('.shp'));
		file =
			kml && !hasShp ? readKml(new TextDecoder().decode(files[kml])) : await readShapefile(files);
	} else {
		let source: string;
		try {
			source = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
		} catch {
			throw new AreaFileError('not_area_file');
		}
		const start = source.trimStart()[0];
		if (start === '{') file = readGeoJson(source);
		else if (start === '<') file = readKml(source);
		else throw new AreaFileError('not_area_file');
	}
	if (!file.features.length) throw new AreaFileError('no_features');
	return file;
}
