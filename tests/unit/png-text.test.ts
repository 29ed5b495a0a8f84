import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { addPngText, crc32, readPngText } from '../../src/lib/domain/png-text';

describe('PNG text chunks', () => {
	it('computes CRC-32 as zlib does (check value of "123456789")', () => {
		expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
	});

	it('adds UTF-8 text that reads back, and the image still decodes to the same pixels', () => {
		const image = new PNG({ width: 3, height: 2 });
		image.data.fill(0);
		image.data.set([10, 20, 30, 255], 4);
		const original = new Uint8Array(PNG.sync.write(image));
		const tagged = addPngText(original, {
			Title: '网格态势图 · 排查覆盖率',
			Description: '数据日期 2020-02-28\n≥ 95% 5 个'
		});
		expect(readPngText(tagged)).toEqual({
			Title: '网格态势图 · 排查覆盖率',
			Description: '数据日期 2020-02-28\n≥ 95% 5 个'
		});
		const decoded = PNG.sync.read(Buffer.from(tagged));
		expect([decoded.width, decoded.height]).toEqual([3, 2]);
		expect([...decoded.data.subarray(4, 8)]).toEqual([10, 20, 30, 255]);
	});

	it('refuses what is not a PNG and keywords PNG does not allow', () => {
		expect(() => addPngText(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { Title: 'x' })).toThrow(
			/not a PNG/
		);
		const png = new Uint8Array(PNG.sync.write(new PNG({ width: 1, height: 1 })));
		expect(() => addPngText(png, { 'Bad:key': 'x' })).toThrow(/keyword/);
		const tagged = addPngText(png, { Title: 'x' });
		tagged[40] ^= 0xff;
		expect(() => readPngText(tagged)).toThrow(/CRC/);
	});
});
