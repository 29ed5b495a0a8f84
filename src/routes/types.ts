import type { Feature, Geometry } from 'geojson';
import type { AreaFigures } from '$lib/domain/metrics';

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
export interface AreaCollection {
	type: 'FeatureCollection';
	level: 'grid' | 'community';
	date: string;
	/** The day is the server clock's own and not over: its figures are so far today. */
	inProgress: boolean;
	features: AreaFeature[];
}
