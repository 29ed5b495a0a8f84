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

/** Symptoms a health check records (none: well). */
export const SYMPTOMS = [
	'fever',
	'cough',
	'sore_throat',
	'fatigue',
	'breathless',
	'diarrhoea',
	'smell_taste'
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export const SERVICE_KINDS = ['visit', 'garbage', 'delivery'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A service task as the phone lists it. */
export interface ServiceTaskItem {
	id: number;
	kind: ServiceKind;
	dueAt: string;
	householdId: number;
	address: string;
	status: 'open' | 'done' | 'missed';
	doneAt: string | null;
	missedAt: string | null;
	missedReason: string | null;
}

/** GET /api/service-tasks?grid=CODE: the grid's tasks due today, and earlier ones still open (two days back). */
export interface ServiceTaskList {
	grid: string;
	day: string;
	tasks: ServiceTaskItem[];
}

/** POST /api/service-tasks/ID: done, or missed with its reason. Answers the task as it now is. */
export interface ServiceTaskOutcome {
	outcome: 'done' | 'missed';
	reason?: string;
}

/** One member's health check. */
export interface MemberCheck {
	personId: number;
	checkedAt: string;
	temperature: number;
	symptoms: Symptom[];
}

/** GET /api/households/ID: a household for the observation forms. */
export interface HouseholdCard {
	householdId: number;
	grid: string | null;
	address: string;
	members: number;
	persons: {
		personId: number;
		nameMasked: string;
		phoneMasked: string | null;
		returnee: boolean;
		observed: boolean;
	}[];
	/** Its home observation running today, or null. */
	observation: {
		startDate: string;
		endDate: string;
		reason: string | null;
		personIds: number[];
	} | null;
	/** Health checks recorded today (Beijing day), newest first. */
	checksToday: MemberCheck[];
	tasks: ServiceTaskItem[];
}

/** POST /api/observations: start a household's home observation. */
export interface ObservationStartRequest {
	householdId: number;
	/** The registered members it covers (at least one). */
	personIds: number[];
	/** 1–28 days; 14 unless said. */
	days?: number;
	/** Its first day (YYYY-MM-DD); today unless said. */
	startDate?: string;
	reason: string;
}

/** POST /api/observations → 201 */
export interface ObservationStarted {
	householdId: number;
	grid: string | null;
	startDate: string;
	/** The first day no longer under observation. */
	endDate: string;
	personIds: number[];
}

/** POST /api/observations/checks: the twice-daily health check, a temperature per member checked. */
export interface HealthCheckRequest {
	householdId: number;
	checks: { personId: number; temperature: number; symptoms?: Symptom[] }[];
}

/** POST /api/observations/checks → 201 */
export interface HealthCheckRecorded {
	householdId: number;
	checkedAt: string;
	members: number;
	/** Someone had 37.3 °C or more, or a symptom: the form says to screen or refer them. */
	alert: boolean;
	/** The day's health visit this check completed, if one was due. */
	visitTaskId: number | null;
}

/** POST /api/observations/end: released at the end of observation, or transferred (hospital, central quarantine). */
export interface ObservationEndRequest {
	householdId: number;
	outcome: 'released' | 'transferred';
}

/** POST /api/observations/end → 200 */
export interface ObservationEnded {
	householdId: number;
	outcome: 'released' | 'transferred';
	endDate: string;
	persons: number;
}
