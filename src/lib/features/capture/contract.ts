/**
 * The JSON of the capture routes, one definition each, imported by the routes and the forms.
 */
import type { AddressHousehold } from './model/address';

export type { AddressHousehold };

/** GET /api/addresses?grid=CODE */
export interface AddressList {
	grid: string;
	households: AddressHousehold[];
}

/** POST /api/returnees: what the form sends (the server masks the name and phone and keeps only the ID number's keyed hash). */
export interface ReturneeRequest {
	name: string;
	phone: string;
	idNumber: string;
	/** Province and city: 湖北省武汉市. */
	origin: string;
	/** When they arrived, with its offset: 2020-02-03T09:00:00+08:00. */
	arrivedAt: string;
	/** The household they live in, from the address list … */
	householdId?: number;
	/** … or the address as typed: 文渊名邸3幢2单元302. */
	address?: string;
}

/** POST /api/returnees → 201 */
export interface ReturneeCreated {
	personId: number;
	householdId: number;
	grid: string | null;
	address: string;
	nameMasked: string;
	phoneMasked: string;
	origin: string;
	keyArea: boolean;
	/** The Beijing day of arrival. */
	arrivalDay: string;
}

/** The figures of a community's daily report. */
export const DAILY_FIGURES = ['observedHouseholds', 'observedPersons', 'screenedToday'] as const;
export type DailyFigure = (typeof DAILY_FIGURES)[number];
export type DailyFigures = Record<DailyFigure, number>;

/** POST /api/daily-reports: no `figures` confirms the prefilled ones; each corrected figure needs its reason. */
export interface DailyReportRequest {
	community: string;
	date: string;
	figures?: Partial<DailyFigures>;
	reasons?: Partial<Record<DailyFigure, string>>;
}

/** One version of a day's report, as sent. */
export interface DailyReportVersion {
	version: number;
	reportedAt: string;
	reportedBy: string | null;
	late: boolean;
	figures: DailyFigures;
	prefilled: DailyFigures;
	reasons: Partial<Record<DailyFigure, string>>;
}

/** GET /api/daily-reports?community=&date=, and POST's answer (201). */
export interface DailyReportState {
	community: string;
	date: string;
	/** From the records, for the form. */
	prefilled: DailyFigures;
	current: { version: number; reportedAt: string; late: boolean; figures: DailyFigures } | null;
	versions: DailyReportVersion[];
}
