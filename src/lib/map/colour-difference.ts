/**
 * Colour difference as people see it: CIE L*a*b* (D65, sRGB) and CIEDE2000 ΔE.
 * Used to prove by computation that the map's overlays cannot be mistaken for the fill beneath them.
 * Formulae: CIE 15:2004 (sRGB → XYZ → Lab) and Sharma, Wu & Dalal (2005), "The CIEDE2000
 * colour-difference formula: implementation notes", whose test pairs the unit test checks.
 */
export type Rgb = [number, number, number];
export type Lab = [number, number, number];

const linear = (channel: number) => {
	const c = channel / 255;
	return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** sRGB (0–255) to CIE L*a*b* under D65. */
export function rgbToLab([r, g, b]: Rgb): Lab {
	const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
	const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
	const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
	const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
	const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
	return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const degrees = (radians: number) => (radians * 180) / Math.PI;
const radians = (deg: number) => (deg * Math.PI) / 180;

/** CIEDE2000 ΔE between two Lab colours (kL = kC = kH = 1). About 2 is a just-noticeable difference. */
export function deltaE2000([l1, a1, b1]: Lab, [l2, a2, b2]: Lab): number {
	const c1 = Math.hypot(a1, b1);
	const c2 = Math.hypot(a2, b2);
	const cMean7 = ((c1 + c2) / 2) ** 7;
	const g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + 25 ** 7)));
	const a1p = (1 + g) * a1;
	const a2p = (1 + g) * a2;
	const c1p = Math.hypot(a1p, b1);
	const c2p = Math.hypot(a2p, b2);
	const hue = (b: number, a: number) =>
		b === 0 && a === 0 ? 0 : (degrees(Math.atan2(b, a)) + 360) % 360;
	const h1p = hue(b1, a1p);
	const h2p = hue(b2, a2p);
	const dLp = l2 - l1;
	const dCp = c2p - c1p;
	let dhp = 0;
	if (c1p * c2p !== 0) {
		dhp = h2p - h1p;
		if (dhp > 180) dhp -= 360;
		else if (dhp < -180) dhp += 360;
	}
	const dHp = 2 * Math.sqrt(c1p * c2p) * Math.sin(radians(dhp / 2));
	const lMean = (l1 + l2) / 2;
	const cMeanP = (c1p + c2p) / 2;
	let hMean = h1p + h2p;
	if (c1p * c2p !== 0) {
		if (Math.abs(h1p - h2p) <= 180) hMean = (h1p + h2p) / 2;
		else hMean = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
	}
	const t =
		1 -
		0.17 * Math.cos(radians(hMean - 30)) +
		0.24 * Math.cos(radians(2 * hMean)) +
		0.32 * Math.cos(radians(3 * hMean + 6)) -
		0.2 * Math.cos(radians(4 * hMean - 63));
	const dTheta = 30 * Math.exp(-(((hMean - 275) / 25) ** 2));
	const cMeanP7 = cMeanP ** 7;
	const rc = 2 * Math.sqrt(cMeanP7 / (cMeanP7 + 25 ** 7));
	const sl = 1 + (0.015 * (lMean - 50) ** 2) / Math.sqrt(20 + (lMean - 50) ** 2);
	const sc = 1 + 0.045 * cMeanP;
	const sh = 1 + 0.015 * cMeanP * t;
	const rt = -Math.sin(radians(2 * dTheta)) * rc;
	return Math.sqrt(
		(dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh)
	);
}

/** CIEDE2000 ΔE between two sRGB colours. */
export const colourDifference = (a: Rgb, b: Rgb) => deltaE2000(rgbToLab(a), rgbToLab(b));

/** `colour` drawn at `alpha` (0–255) over `background`: what the screen shows. */
export const blendOver = (colour: Rgb, alpha: number, background: Rgb): Rgb =>
	colour.map((c, i) => Math.round((c * alpha + background[i] * (255 - alpha)) / 255)) as Rgb;
