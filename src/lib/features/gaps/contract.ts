/**
 * The gaps feature's JSON: what /api/gaps, /api/gaps/[id], /api/gaps/[id]/records and /api/staff
 * answer and the gap pages receive. One definition each; the server builds them, the pages read them.
 */
import type { GapItemView } from './model/gaps';

/** One gap item as listed (GET /api/gaps, the gap pages). */
export interface GapItem extends GapItemView {
	message: string;
	gridCode: string | null;
	communityCode: string;
	communityName: string;
	subjectKey: string;
	openedAt: string;
	updatedAt: string;
	closedAt: string | null;
	acknowledgedAt: string | null;
	acknowledgedBy: string | null;
	assignedStaffId: number | null;
	assignedStaff: string | null;
	assignedAt: string | null;
	resolvedAt: string | null;
	resolvedBy: string | null;
	resolutionNote: string | null;
}

/** One step of an item's history. */
export interface GapEvent {
	at: string;
	action: string;
	actor: string | null;
	note: string | null;
	detail: Record<string, unknown>;
}

/** GET /api/gaps/[id]: the item with its history. */
export type GapDetail = GapItem & { events: GapEvent[] };

/** GET /api/gaps/[id]/records: the people and households behind an item (person-level roles only). */
export interface GapRecords {
	persons: {
		id: number;
		nameMasked: string;
		phoneMasked: string | null;
		householdCode: string;
		/** Where they live, as people say it: 文渊名邸3幢2单元302室. */
		address: string;
		arrivalDate: string | null;
		origin: string;
	}[];
	households: {
		code: string;
		members: number;
		building: string | null;
		compound: string | null;
		lng: number;
		lat: number;
		due: string | null;
	}[];
}

/** GET /api/gaps/[id]/records: the records with the item they belong to. */
export type GapRecordsAnswer = GapRecords & { item: Pick<GapItem, 'id' | 'rule' | 'message'> };

/** One of a grid's staff, to assign an item to (GET /api/staff?grid=CODE). */
export interface StaffOption {
	id: number;
	code: string;
	/** Masked: 张*明. */
	name: string;
	kind: string;
	kindLabel: string;
}

export interface StaffList {
	grid: string;
	staff: StaffOption[];
}
