/**
 * Text chunks in PNG files (iTXt, UTF-8), so an exported map carries its title, date and legend
 * as text as well as pixels. Works on bytes, in the browser and on the server.
 */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 as PNG (and zip) define it. */
export function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readUint32(bytes: Uint8Array, at: number): number {
	return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function isPng(bytes: Uint8Array): boolean {
	return SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Adds one iTXt chunk per entry right after IHDR. Keywords are 1–79 Latin letters, digits or spaces. */
export function addPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
	if (!isPng(png)) throw new Error('not a PNG file');
	const ihdrEnd = 8 + 12 + readUint32(png, 8);
	const chunks: Uint8Array[] = [];
	for (const [keyword, text] of Object.entries(entries)) {
		if (!/^[A-Za-z0-9 ]{1,79}$/.test(keyword))
			throw new Error(`invalid PNG text keyword "${keyword}"`);
		const data = new Uint8Array([
			...encoder.encode(keyword),
			0,
			0,
			0,
			0,
			0,
			...encoder.encode(text)
		]);
		const chunk = new Uint8Array(12 + data.length);
		const view = new DataView(chunk.buffer);
		view.setUint32(0, data.length);
		chunk.set(encoder.encode('iTXt'), 4);
		chunk.set(data, 8);
		view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
		chunks.push(chunk);
	}
	const extra = chunks.reduce((n, c) => n + c.length, 0);
	const out = new Uint8Array(png.length + extra);
	out.set(png.subarray(0, ihdrEnd), 0);
	let at = ihdrEnd;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	out.set(png.subarray(ihdrEnd), at);
	return out;
}

/** Reads every uncompressed iTXt and tEXt chunk; checks each chunk's CRC. */
export function readPngText(png: Uint8Array): Record<string, string> {
	if (!isPng(png)) throw new Error('not a PNG file');
	const out: Record<string, string> = {};
	let at = 8;
	while (at + 12 <= png.length) {
		const length = readUint32(png, at);
		const type = decoder.decode(png.subarray(at + 4, at + 8));
		const data = png.subarray(at + 8, at + 8 + length);
		if (crc32(png.subarray(at + 4, at + 8 + length)) !== readUint32(png, at + 8 + length))
			throw new Error(`bad CRC in ${type} chunk`);
		if (type === 'iTXt' || type === 'tEXt') {
			const zero = data.indexOf(0);
			const keyword = decoder.decode(data.subarray(0, zero));
			if (type === 'tEXt') out[keyword] = String.fromCharCode(...data.subarray(zero + 1));
			else if (data[zero + 1] === 0) {
				const language = data.indexOf(0, zero + 3);
				const translated = data.indexOf(0, language + 1);
				out[keyword] = decoder.decode(data.subarray(translated + 1));
			}
		}
		if (type === 'IEND') break;
		at += 12 + length;
	}
	return out;
}
