import { describe, expect, it } from 'vitest';
import { divergingColors, NO_DATA_COLOR, rampColors } from '../../src/lib/domain/classify';
import {
	blendOver,
	colourDifference,
	deltaE2000,
	type Rgb
} from '../../src/lib/map/colour-difference';
import {
	CLUSTER_COLOR,
	HEXAGON_RAMP,
	HEXAGON_WITHHELD_LINE,
	OVERLAY_MIN_DELTA_E,
	RESUMPTION_COLORS,
	STATUS_COLORS
} from '../../src/lib/map/layers';

// The map's backgrounds (map-helpers OFFLINE_STYLE; the wall's dark style) and the fill's alphas
// (215 alone, 110 under hexagons, in MapView.svelte).
const BACKGROUNDS: Record<string, Rgb> = { light: [0xe9, 0xed, 0xf1], dark: [0x0b, 0x12, 0x20] };
const FILL_ALPHAS = [215, 110, 255];

/** Every colour the choropleth can paint an area: every ramp, every class count, both directions, no data. */
function choroplethColours(): Rgb[] {
	const colours: Rgb[] = [NO_DATA_COLOR];
	for (let count = 1; count <= 7; count++) {
		for (const direction of ['higher_is_better', 'higher_is_worse'] as const) {
			colours.push(...rampColors(count, direction));
			if (count % 2 === 1 && count >= 3) colours.push(...divergingColors(count, direction));
		}
	}
	return [...new Map(colours.map((c) => [c.join(','), c])).values()];
}

/** Each class colour as the screen shows it: over each theme's background at each fill alpha. */
const drawnClasses = (): { theme: string; colour: Rgb }[] =>
	Object.entries(BACKGROUNDS).flatMap(([theme, background]) =>
		choroplethColours().flatMap((c) =>
			FILL_ALPHAS.map((alpha) => ({ theme, colour: blendOver(c, alpha, background) }))
		)
	);

const OVERLAYS: Record<string, Rgb> = {
	...Object.fromEntries(Object.entries(STATUS_COLORS).map(([k, c]) => [`checkpoint ${k}`, c])),
	...Object.fromEntries(HEXAGON_RAMP.map((c, i) => [`hexagon class ${i + 1}`, c])),
	'hexagon withheld outline': HEXAGON_WITHHELD_LINE,
	resumed: RESUMPTION_COLORS.resumed,
	'not yet resumed': RESUMPTION_COLORS.waiting,
	'enterprise cluster': CLUSTER_COLOR
};

describe('CIEDE2000', () => {
	// Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 25 and 34.
	it.each([
		[[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
		[[50, 0, 0], [50, -1, 2], 2.3669],
		[[50, 2.5, 0], [56, -27, -3], 31.903],
		[[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
		[[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082]
	] as [[number, number, number], [number, number, number], number][])(
		'%j vs %j is %f',
		(a, b, expected) => {
			expect(deltaE2000(a, b)).toBeCloseTo(expected, 3);
		}
	);
});

describe('overlay palettes', () => {
	it.each(Object.entries(OVERLAYS))(
		'%s differs from every choropleth class colour on both themes',
		(_name, colour) => {
			const closest = drawnClasses().reduce<{ theme: string; colour: Rgb; difference: number }>(
				(best, drawn) => {
					const difference = colourDifference(colour, drawn.colour);
					return difference < best.difference ? { ...drawn, difference } : best;
				},
				{ theme: '', colour: [0, 0, 0] as Rgb, difference: Infinity }
			);
			expect(
				closest.difference,
				`closest: ${closest.colour} on ${closest.theme}`
			).toBeGreaterThanOrEqual(OVERLAY_MIN_DELTA_E);
		}
	);

	// Adjacent classes of a sequential ramp are the closest pair; ColorBrewer's own are about 5–10 apart.
	it('tells the classes inside each overlay apart', () => {
		const within = [
			Object.values(STATUS_COLORS),
			HEXAGON_RAMP,
			[RESUMPTION_COLORS.resumed, RESUMPTION_COLORS.waiting, CLUSTER_COLOR]
		];
		for (const palette of within) {
			for (let i = 0; i < palette.length; i++)
				for (let j = i + 1; j < palette.length; j++)
					expect(colourDifference(palette[i], palette[j])).toBeGreaterThan(5);
		}
	});

	it('keeps points distinct from the hexagons they sit on', () => {
		const points = [...Object.values(STATUS_COLORS), RESUMPTION_COLORS.waiting, CLUSTER_COLOR];
		for (const point of points)
			for (const cell of HEXAGON_RAMP)
				expect(colourDifference(point, cell), `${point} on ${cell}`).toBeGreaterThanOrEqual(
					OVERLAY_MIN_DELTA_E
				);
	});
});
