/**
 * What a gap list does besides showing items: acknowledging, assigning, resolving and reopening them
 * (POST /api/gaps/[id]), and opening an item's records or history. One instance per list.
 */
import type { GapEvent, GapItem, GapRecords, StaffOption } from './contract';

type GapBody =
	| { action: 'acknowledge' }
	| { action: 'reopen' }
	| { action: 'assign'; staffId: number }
	| { action: 'resolve'; note: string };

export class GapListState {
	/** Set once hydrated: taps before that do nothing (tests wait for it, as for the planner's form). */
	ready = $state(false);
	/** The item whose change is being sent. */
	busy = $state<number | null>(null);
	failure = $state<{ id: number; message: string } | null>(null);
	/** The item whose resolve form, or assign form, is open. */
	resolving = $state<number | null>(null);
	assigning = $state<number | null>(null);
	note = $state('');
	staffChoice = $state<number | null>(null);
	/** Each grid's staff, fetched when an item of the grid is first assigned. */
	staffFor = $state<Record<string, StaffOption[]>>({});
	opened = $state<Record<number, 'records' | 'history' | null>>({});
	records = $state<Record<number, GapRecords>>({});
	events = $state<Record<number, GapEvent[]>>({});

	/** `changed`: called after every accepted change (the page reloads its items). */
	constructor(private readonly changed: () => Promise<void> | void) {}

	async send(id: number, body: GapBody) {
		this.busy = id;
		this.failure = null;
		try {
			const response = await fetch(`/api/gaps/${id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			if (!response.ok) {
				this.failure = {
					id,
					message: (await response.json().catch(() => ({}))).message ?? response.statusText
				};
				return;
			}
			this.resolving = null;
			this.assigning = null;
			this.note = '';
			this.events = { ...this.events, [id]: [] };
			if (this.opened[id] === 'history') await this.loadHistory(id);
			await this.changed();
		} finally {
			this.busy = null;
		}
	}

	async startAssign(item: GapItem) {
		this.assigning = this.assigning === item.id ? null : item.id;
		this.resolving = null;
		this.staffChoice = null;
		const grid = item.gridCode;
		if (grid && !this.staffFor[grid]) {
			const response = await fetch(`/api/staff?grid=${grid}`);
			if (response.ok) this.staffFor = { ...this.staffFor, [grid]: (await response.json()).staff };
		}
	}

	startResolve(item: GapItem) {
		this.resolving = this.resolving === item.id ? null : item.id;
		this.assigning = null;
	}

	async loadHistory(id: number) {
		const response = await fetch(`/api/gaps/${id}`);
		if (response.ok) this.events = { ...this.events, [id]: (await response.json()).events };
	}

	/** After a screening from the records: the item's records and the page's data again. */
	async refreshRecords(item: GapItem) {
		const response = await fetch(`/api/gaps/${item.id}/records`);
		if (response.ok) this.records = { ...this.records, [item.id]: await response.json() };
		await this.changed();
	}

	async toggle(item: GapItem, what: 'records' | 'history') {
		if (this.opened[item.id] === what) {
			this.opened = { ...this.opened, [item.id]: null };
			return;
		}
		this.opened = { ...this.opened, [item.id]: what };
		if (what === 'history') await this.loadHistory(item.id);
		else if (!this.records[item.id]) {
			const response = await fetch(`/api/gaps/${item.id}/records`);
			if (response.ok) this.records = { ...this.records, [item.id]: await response.json() };
		}
	}
}
