/**
 * Glyphs for deck.gl's TextLayer that keep all of their ink.
 *
 * Why: deck.gl 9.4's font atlas measures a glyph as `actualBoundingBoxRight − actualBoundingBoxLeft`
 * and draws it at the glyph's origin. `actualBoundingBoxLeft` is positive when ink reaches left of the
 * origin, so such glyphs get a frame narrower than their ink and lose the part left of the origin.
 * With DejaVu Sans (what Chromium on Linux falls back to for Arial), J measures 6 px wide at 64 px but
 * its ink spans 18 px: the frame holds a blank sliver and "Jingyuan" reads "ingyuan". The same goes
 * for j and any glyph with a left overhang. This renderer measures the whole ink box and draws the
 * glyph shifted right by its overhang, so every frame holds every pixel of its glyph.
 */
import type { TextLayerProps } from '@deck.gl/layers';

type FontRendererFactory = NonNullable<TextLayerProps['_getFontRenderer']>;
type Settings = Parameters<FontRendererFactory>[0];

interface Ink {
	advance: number;
	/** Pixels the ink reaches left of the origin (0 when it starts at or right of it). */
	overhang: number;
	width: number;
	ascent: number;
	descent: number;
}

function inkOf(ctx: CanvasRenderingContext2D, char: string, fontSize: number): Ink {
	const m = ctx.measureText(char);
	const overhang = Math.max(0, Math.ceil(m.actualBoundingBoxLeft));
	return {
		advance: m.width,
		overhang,
		// At least the advance, so a space keeps its width and a narrow glyph its side bearings.
		width: Math.max(1, Math.ceil(Math.max(m.width, m.actualBoundingBoxRight) + overhang)),
		ascent: Math.ceil(m.actualBoundingBoxAscent || fontSize * 0.9),
		descent: Math.ceil(m.actualBoundingBoxDescent || fontSize * 0.3)
	};
}

/** A `_getFontRenderer` for TextLayer: whole-ink glyph frames (see above). */
export const wholeInkFontRenderer: FontRendererFactory = (settings: Settings) => {
	const { fontFamily, fontWeight, fontSize } = settings;
	const font = `${fontWeight} ${fontSize}px ${fontFamily}`;
	const canvas = document.createElement('canvas');
	const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
	ctx.font = font;
	return {
		measure(char?: string) {
			if (char === undefined) {
				const m = ctx.measureText('A');
				return {
					advance: 0,
					width: 0,
					ascent: Math.ceil(m.fontBoundingBoxAscent || fontSize * 0.9),
					descent: Math.ceil(m.fontBoundingBoxDescent || fontSize * 0.3)
				};
			}
			const { advance, width, ascent, descent } = inkOf(ctx, char, fontSize);
			return { advance, width, ascent, descent };
		},
		draw(char: string) {
			const ink = inkOf(ctx, char, fontSize);
			const glyph = document.createElement('canvas');
			glyph.width = ink.width;
			glyph.height = Math.max(1, ink.ascent + ink.descent);
			const g = glyph.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
			g.font = font;
			g.fillStyle = '#000';
			g.textBaseline = 'alphabetic';
			g.textAlign = 'left';
			g.fillText(char, ink.overhang, ink.ascent);
			return { data: g.getImageData(0, 0, glyph.width, glyph.height), left: 0, top: 0 };
		}
	};
};
