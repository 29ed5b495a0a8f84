import type { Place } from '../../map/layers';

/**
 * The drill-down, as the address holds it: '' the subdistrict, a 12-digit community code (its
 * grids on show) or a 4-digit grid code (its compounds and buildings on show).
 */
export type Drill = string;

export const isGridDrill = (drill: Drill) => drill.length === 4;
export const isCommunityDrill = (drill: Drill) => drill.length === 12;

/** Where the drill-down and the selection go after a step back up the breadcrumb. */
export interface DrillStep {
	drill: Drill;
	selectedCode: string | null;
}

/**
 * One step up to the subdistrict or to the drilled grid's community. The area just left stays
 * selected where it is on show at the level reached.
 */
export function stepUp(
	from: Drill,
	to: 'subdistrict' | 'community',
	level: 'grid' | 'community',
	communityCode: string | null
): DrillStep | null {
	if (to === 'subdistrict')
		return {
			drill: '',
			selectedCode:
				isCommunityDrill(from) && level === 'community'
					? from
					: isGridDrill(from) && level === 'grid'
						? from
						: null
		};
	if (!communityCode) return null;
	return { drill: communityCode, selectedCode: isGridDrill(from) ? from : null };
}

/** A search hit opens the level that shows it: a community's grids, a grid in its community, a compound in its grid. */
export function stepToPlace(place: Place): DrillStep {
	if (place.kind === 'community') return { drill: place.code, selectedCode: null };
	if (place.kind === 'grid') return { drill: place.communityCode, selectedCode: place.code };
	return { drill: place.gridCode ?? '', selectedCode: place.code };
}
