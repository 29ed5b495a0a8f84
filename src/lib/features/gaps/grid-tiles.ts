/**
 * The grid workspace's figures against their targets: open gaps, screening coverage, returnees
 * unscreened after 24 h, checkpoint staffing and observed households, each with its change since
 * the day before.
 */
import { describeChange, type Change } from '../../domain/change';
import { formatMetricValue, METRICS, type AreaFigures } from '../../domain/metrics';
import { words, type Lang } from '../../core/i18n';

export interface Tile {
	id: 'gaps' | 'coverage' | 'overdue' | 'staffing' | 'observed';
	label: string;
	value: string;
	target: string;
	/** Met (true), missed (false), or no target (null). */
	ok: boolean | null;
	change: string | null;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * `today` and `before` are the grid's figures for the day and the day before (null: none);
 * `openItems` the gap items still to do, which the gaps tile counts.
 */
export function gridTiles(
	today: AreaFigures | null,
	before: AreaFigures | null,
	openItems: number,
	lang: Lang
): Tile[] {
	if (!today) return [];
	const f = today;
	const p = before;
	const w = words(lang);
	// A change that rounds to nothing reads 持平 / no change, never +0 or +0.0.
	const signedChange = (c: Change | null) =>
		c === null
			? null
			: c.direction === 'same'
				? w.gaps_tile_no_change()
				: `${c.direction === 'up' ? '+' : '−'}${c.size}`;
	const signed = (n: number) => signedChange(describeChange(n, 0, 'count', lang));
	const percentChange = (a: number | null, b: number | null) =>
		signedChange(describeChange(a, b, 'percent', lang));
	const coverage = METRICS.screening_coverage.value(f);
	const staffing = METRICS.checkpoint_staffing.value(f);
	return [
		{
			id: 'gaps',
			label: METRICS.open_gaps.label[lang],
			value: String(openItems),
			target: w.gaps_tile_target({ target: 0 }),
			ok: openItems === 0,
			change: p?.openGaps !== undefined ? signed((f.openGaps ?? 0) - (p.openGaps ?? 0)) : null
		},
		{
			id: 'coverage',
			label: METRICS.screening_coverage.label[lang],
			value: pct(coverage),
			target: w.core_target_at_least({ percent: 95 }),
			ok: coverage === null ? null : coverage >= 0.95,
			change: percentChange(coverage, p ? METRICS.screening_coverage.value(p) : null)
		},
		{
			id: 'overdue',
			label: w.core_unscreened_24h_short(),
			value: String(f.overdueScreenings),
			target: w.gaps_tile_target({ target: 0 }),
			ok: f.overdueScreenings === 0,
			change: p ? signed(f.overdueScreenings - p.overdueScreenings) : null
		},
		{
			id: 'staffing',
			label: METRICS.checkpoint_staffing.label[lang],
			value: pct(staffing),
			target: w.core_target_at_least({ percent: 95 }),
			ok: staffing === null ? null : staffing >= 0.95,
			change: percentChange(staffing, p ? METRICS.checkpoint_staffing.value(p) : null)
		},
		{
			id: 'observed',
			label: METRICS.observed_households.label[lang],
			value: formatMetricValue(METRICS.observed_households, f.observedHouseholds, lang),
			target: w.gaps_tile_persons({ n: f.observedPersons }),
			ok: null,
			change: p ? signed(f.observedHouseholds - p.observedHouseholds) : null
		}
	];
}
