/**
 * How a class colour looks once drawn: the map fills areas at a fixed opacity over the theme's
 * background, so the colour a reader sees is the blend, not the ramp's entry. No-data and withheld
 * colours are chosen per theme so that, as drawn, they stay apart from every class (CIEDE2000).
 */
import { NO_DATA_COLOR } from '../domain/classify';
import type { Rgb } from './legend';

export type Theme = 'light' | 'dark';

/** The map's background per theme (OFFLINE_STYLE's and the wall's). */
export const THEME_BACKGROUND: Record<Theme, Rgb> = { light: [233, 237, 241], dark: [11, 18, 32] };
/** Area fill opacity (0–255) when nothing is drawn over the areas. */
export const AREA_FILL_ALPHA = 215;

/**
 * No data per theme, each at least ΔE2000 10 from every class as drawn (tests/unit/palette.test.ts).
 * The old (200,200,200) drew next to the dark theme's lightest class at ΔE 7 ((216,203,192)) and next
 * to the light theme's "no change" at 8.8: the light theme's grey is darker, the dark theme's a slate.
 */
export const NO_DATA_BY_THEME: Record<Theme, Rgb> = { light: NO_DATA_COLOR, dark: [78, 84, 98] };
/** Withheld (a count under k): hatching over a fill unlike any class and unlike no data (a darker slate on the light theme, the background on the dark). */
export const WITHHELD_FILL: Record<Theme, Rgb> = { light: [98, 104, 120], dark: [11, 18, 32] };
export const HATCH_COLOR: Record<Theme, Rgb> = { light: [245, 247, 250], dark: [196, 204, 218] };

/** `color` at `alpha` (0–255) over `background`, as the canvas blends it. */
export function drawnColor(color: Rgb, alpha: number, background: Rgb): Rgb {
	const a = alpha / 255;
	return color.map((c, i) => Math.round(c * a + background[i] * (1 - a))) as Rgb;
}

function toLab([r, g, b]: Rgb): [number, number, number] {
	const linear = (c: number) => {
		const v = c / 255;
		return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	};
	const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
	// sRGB → XYZ (D65), normalised by the white point.
	const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
	const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
	const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
	const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t) / 116 + 16 / 116);
	return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIEDE2000 colour difference (Sharma, Wu & Dalal 2005); about 2 is just noticeable, 10 plainly different. */
export function deltaE2000(first: Rgb, second: Rgb): number {
	const [L1, a1, b1] = toLab(first);
	const [L2, a2, b2] = toLab(second);
	const rad = Math.PI / 180;
	const C1 = Math.hypot(a1, b1);
	const C2 = Math.hypot(a2, b2);
	const Cbar = (C1 + C2) / 2;
	const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
	const a1p = (1 + G) * a1;
	const a2p = (1 + G) * a2;
	const C1p = Math.hypot(a1p, b1);
	const C2p = Math.hypot(a2p, b2);
	const hue = (b: number, a: number) =>
		b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360;
	const h1p = hue(b1, a1p);
	const h2p = hue(b2, a2p);
	const dLp = L2 - L1;
	const dCp = C2p - C1p;
	let dhp = 0;
	if (C1p * C2p !== 0)
		dhp =
			Math.abs(h2p - h1p) <= 180 ? h2p - h1p : h2p - h1p > 180 ? h2p - h1p - 360 : h2p - h1p + 360;
	const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
	const Lbarp = (L1 + L2) / 2;
	const Cbarp = (C1p + C2p) / 2;
	let hbarp = h1p + h2p;
	if (C1p * C2p !== 0)
		hbarp =
			Math.abs(h1p - h2p) <= 180
				? (h1p + h2p) / 2
				: h1p + h2p < 360
					? (h1p + h2p + 360) / 2
					: (h1p + h2p - 360) / 2;
	const T =
		1 -
		0.17 * Math.cos((hbarp - 30) * rad) +
		0.24 * Math.cos(2 * hbarp * rad) +
		0.32 * Math.cos((3 * hbarp + 6) * rad) -
		0.2 * Math.cos((4 * hbarp - 63) * rad);
	const dTheta = 30 * Math.exp(-(((hbarp - 275) / 25) ** 2));
	const Rc = 2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7));
	const Sl = 1 + (0.015 * (Lbarp - 50) ** 2) / Math.sqrt(20 + (Lbarp - 50) ** 2);
	const Sc = 1 + 0.045 * Cbarp;
	const Sh = 1 + 0.015 * Cbarp * T;
	const Rt = -Math.sin(2 * dTheta * rad) * Rc;
	return Math.sqrt(
		(dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh)
	);
}
