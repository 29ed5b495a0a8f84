/** How the gap list words and links an item: its state, the times and history steps, where its map is. */
import { beijingClock, beijingMonthDay } from '../../core/time';
import type { GapItem } from './contract';

/** An item's state as shown: a closed item (its cause gone) is neither open nor resolved. */
export type GapState = GapItem['status'] | 'closed';

export const gapState = (item: Pick<GapItem, 'status' | 'closedAt'>): GapState =>
	item.closedAt ? 'closed' : item.status;

export const GAP_STATE_LABELS: Record<GapState, [zh: string, en: string]> = {
	open: ['待处理', 'Open'],
	acknowledged: ['已确认', 'Acknowledged'],
	resolved: ['已处置', 'Resolved'],
	closed: ['已自动关闭', 'Closed by itself']
};

/** The steps of an item's history, as gap_event records them. */
export const GAP_EVENT_LABELS: Record<string, [zh: string, en: string]> = {
	opened: ['发现', 'found'],
	changed: ['数量变化', 'count changed'],
	acknowledged: ['确认', 'acknowledged'],
	assigned: ['指派', 'assigned'],
	resolved: ['处置', 'resolved'],
	reopened: ['重新打开', 'reopened'],
	closed: ['原因消除，自动关闭', 'cause gone, closed']
};

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
