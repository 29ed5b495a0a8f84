/**
 * The grid's shift list at work: the server's clock kept running (so a shift opens and closes on
 * time), its shifts grouped by period, and marking a person arrived or taking it back
 * (POST /api/shifts/[id]).
 */
import { shiftOpen } from './model/shifts';
import { words, type Lang } from '../../core/i18n';
import type { ShiftView } from './contract';

export interface ShiftPeriod {
	key: string;
	rows: ShiftView[];
	arrived: number;
}

/** Shifts with the same hours, in the order given, with how many of their people have arrived. */
export function groupByPeriod(shifts: ShiftView[]): ShiftPeriod[] {
	const groups: { key: string; rows: ShiftView[] }[] = [];
	for (const s of shifts) {
		const key = `${s.startsAt}|${s.endsAt}`;
		const group = groups.find((g) => g.key === key);
		if (group) group.rows.push(s);
		else groups.push({ key, rows: [s] });
	}
	return groups.map((g) => ({ ...g, arrived: g.rows.filter((r) => r.checkedIn).length }));
}

export class ShiftListState {
	/** This machine's clock, ticking every 30 s; `offset()` moves it to the server's (the demo's may be fixed in 2020). */
	nowMs = $state(Date.now());
	/** The shift whose arrival is being sent. */
	busy = $state<number | null>(null);
	message = $state<string | null>(null);
	/** The shift whose undo waits for a second tap: an arrival taken back by a slip of the thumb is a false gap. */
	confirming = $state<number | null>(null);

	constructor(
		private readonly offset: () => number,
		private readonly changed: () => Promise<void> | void,
		private readonly lang: () => Lang
	) {}

	/** Keeps the clock running; returns the stop. */
	start(): () => void {
		const timer = setInterval(() => (this.nowMs = Date.now()), 30_000);
		return () => clearInterval(timer);
	}

	get now(): number {
		return this.nowMs + this.offset();
	}

	isOpen(shift: ShiftView): boolean {
		return shiftOpen(Date.parse(shift.startsAt), Date.parse(shift.endsAt), this.now);
	}

	askUndo(shift: ShiftView) {
		this.confirming = this.confirming === shift.id ? null : shift.id;
	}

	async mark(shift: ShiftView, checkedIn: boolean) {
		const w = words(this.lang());
		this.confirming = null;
		this.busy = shift.id;
		this.message = null;
		try {
			const response = await fetch(`/api/shifts/${shift.id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ checkedIn })
			});
			if (!response.ok) {
				const body = (await response.json().catch(() => null)) as { message?: string } | null;
				this.message = body?.message ?? w.shifts_check_in_failed({ status: response.status });
				// The list was out of date (the shift ended, moved out of scope): show what is true now.
				if (response.status === 404 || response.status === 409) await this.changed();
				return;
			}
			// Keep the buttons locked until the list shows what was recorded.
			await this.changed();
		} catch {
			this.message = w.shifts_offline();
		} finally {
			this.busy = null;
		}
	}
}
