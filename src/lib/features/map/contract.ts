/**
 * The JSON the desk map's routes answer, typed once: the server code that builds each body and
 * every page that reads it import these. Relative imports: the server's CLI scripts load this
 * file outside Vite, where `$lib` does not resolve.
 */
import type { Feature, Geometry } from 'geojson';
import type { AreaFigures } from '../../domain/metrics';
import type { Building } from '../../map/layers';

export type AreaProperties = AreaFigures & {
	code: string;
	name: string;
	nameEn: string;
	level: 'grid' | 'community' | 'compound';
	communityCode: string;
	communityName: string;
	communityNameEn: string;
	areaKm2: number;
	lastReportDate: string | null;
	lastReportAt: string | null;
};
export type AreaFeature = Feature<Geometry, AreaProperties>;

/** GET /api/areas?level=&date= */
export interface AreaCollection {
	type: 'FeatureCollection';
	level: 'grid' | 'community';
	date: string;
	/** The day is the server clock's own and not over: its figures are so far today. */
	inProgress: boolean;
	features: AreaFeature[];
}

/** The figures a compound has: those summed from its buildings and its checkpoints. */
export type CompoundFigures = Pick<
	AreaFigures,
	| 'householdsRegistered'
	| 'residentsRegistered'
	| 'observedHouseholds'
	| 'observedPersons'
	| 'returneesDue'
	| 'returneesScreened'
	| 'personsScreenedCum'
	| 'checkpointsOpen'
	| 'requiredShiftHours'
	| 'staffedShiftHours'
>;

/** A compound clipped to one grid, with figures for that part. */
export type CompoundFeature = Feature<
	Geometry,
	CompoundFigures & {
		code: string;
		name: string;
		nameEn: string;
		level: 'compound';
		communityCode: string;
		communityName: string;
		communityNameEn: string;
		areaKm2: number;
		buildings: number;
	}
>;

/** A grid's compounds and buildings, for the drill-down below grid level. */
export interface GridDetail {
	grid: {
		code: string;
		name: string;
		communityCode: string;
		communityName: string;
		communityNameEn: string;
	};
	/** Compounds with buildings in the grid, clipped to the grid, with figures for that part. */
	compounds: CompoundFeature[];
	/** Buildings as points with their size only: no person-level figure is shown per building. */
	buildings: Building[];
}

/** GET /api/grid-detail?grid=&date= */
export type GridDetailBody = GridDetail & { date: string };
