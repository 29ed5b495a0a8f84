/**
 * The JSON the wall reads, typed from the rows the server answers with (queries/areas.ts,
 * queries/layers.ts), not written out again. On a wall link every count in them may be withheld
 * (null) and the others rounded down (domain/suppression.ts); the types say which fields can be null.
 */
import type { ShiftName } from '$lib/core/time';
import type { COUNT_FIELDS, SHIFT_STAFFING_FIELDS } from '$lib/domain/suppression';
import type { getDataPeriod, Summary, TrendDay } from '$lib/server/queries/areas';
import type { ShiftStaffingDay } from '$lib/server/queries/layers';

/** GET /api/areas?level=grid|community&date= (the desk map reads the same answer). */
export type { AreaCollection, AreaFeature } from '../map/contract';

/** A row as a wall link receives it: the counts named in `Counts` may be withheld (null). */
export type Withheld<Row, Counts extends string> = {
	[Field in keyof Row]: Field extends Counts ? Row[Field] | null : Row[Field];
} & { suppressed?: string[] };

type CountField = (typeof COUNT_FIELDS)[number];
type ShiftStaffingField = (typeof SHIFT_STAFFING_FIELDS)[number];

/** The subdistrict's figures for a day, as /api/summary and /api/trend send them. */
export type WallFigures = Withheld<Summary['figures'], CountField>;

/** GET /api/summary: the day's totals and the day before, how fresh they are, and the server's clock. */
export type SummaryResponse = Omit<Summary, 'figures' | 'previous'> & {
	figures: WallFigures;
	previous: WallFigures | null;
	/** The newest report or screening behind the figures (ISO, +08:00); null when none. */
	asOf: string | null;
	/** The server's clock when it answered (ISO). */
	clock: string;
	staleMinutes: number;
	period: NonNullable<Awaited<ReturnType<typeof getDataPeriod>>>;
	/** The wall link's k; null when counts are exact. */
	suppressBelow: number | null;
};

/** One day of GET /api/trend. */
export type TrendDayResponse = Withheld<TrendDay, CountField>;

/** GET /api/trend?date=&days= */
export interface TrendResponse {
	date: string;
	days: TrendDayResponse[];
	suppressBelow: number | null;
}

/** One day of GET /api/trend/shift: a shift's people needed and present (rounded like every count). */
export type ShiftStaffingDayResponse = Withheld<ShiftStaffingDay, ShiftStaffingField>;

/** GET /api/trend/shift?date=&days=&shift=: the same shift on each day, oldest first. */
export interface ShiftTrendResponse {
	date: string;
	shift: ShiftName;
	days: ShiftStaffingDayResponse[];
	suppressBelow: number | null;
}
