/** How the gap list words and links an item: its state, the times and history steps, where its map is. */
import { beijingClock, beijingMonthDay } from '../../core/time';
import type { MessageKey, Words } from '../../core/i18n';
import type { GapItem } from './contract';

/** An item's state as shown: a closed item (its cause gone) is neither open nor resolved. */
export type GapState = GapItem['status'] | 'closed';

export const gapState = (item: Pick<GapItem, 'status' | 'closedAt'>): GapState =>
	item.closedAt ? 'closed' : item.status;

const GAP_STATE_LABELS = {
	open: 'gaps_state_open',
	acknowledged: 'gaps_state_acknowledged',
	resolved: 'gaps_state_resolved',
	closed: 'gaps_state_closed'
} as const satisfies Record<GapState, MessageKey>;

/** An item's state in words. */
export const gapStateLabel = (state: GapState, w: Words): string => w[GAP_STATE_LABELS[state]]();

/** The steps of an item's history, as gap_event records them. */
const GAP_EVENT_LABELS = {
	opened: 'gaps_event_opened',
	changed: 'gaps_event_changed',
	acknowledged: 'gaps_event_acknowledged',
	assigned: 'gaps_event_assigned',
	resolved: 'gaps_event_resolved',
	reopened: 'gaps_event_reopened',
	closed: 'gaps_event_closed'
} as const satisfies Record<string, MessageKey>;

/** A step of an item's history in words (an unknown step as it is recorded). */
export function gapEventLabel(action: string, w: Words): string {
	return Object.hasOwn(GAP_EVENT_LABELS, action)
		? w[GAP_EVENT_LABELS[action as keyof typeof GAP_EVENT_LABELS]]()
		: action;
}

/** "2/28 09:30" on Beijing's clock; empty for no time. */
export function gapTime(iso: string | null): string {
	if (!iso) return '';
	const ms = Date.parse(iso);
	const [month, day] = beijingMonthDay(ms).split('-').map(Number);
	return `${month}/${day} ${beijingClock(ms)}`;
}

/** Whether the item names people or households that a person-level role can list. */
export const hasRecords = (item: Pick<GapItem, 'detail'>) =>
	Array.isArray(item.detail.persons) || Array.isArray(item.detail.households);

/**
 * Where an item's 地图 link goes: a grid's item opens the grid's own map on its workspace (readable on the
 * phone it is handled on); the desk map, whose header and panel fill a phone's screen, only for a
 * community's own item, which has no grid.
 */
export const gapMapLink = (item: Pick<GapItem, 'gridCode' | 'communityCode'>, day: string) =>
	item.gridCode
		? `/grid/${item.gridCode}#map`
		: `/?metric=open_gaps&level=community&date=${day}&select=${item.communityCode}`;
