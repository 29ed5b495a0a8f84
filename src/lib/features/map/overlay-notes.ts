import { words, type Lang } from '../../core/i18n';
import type { Rgb } from '../../map/legend';
import {
	STATUS_COLORS,
	STATUS_LABELS,
	type CheckpointPoint,
	type OverlayKeyEntry,
	type ResumptionPoint,
	type StaffingStatus
} from '../../map/layers';
import { SHIFT_LABELS, type ShiftName } from '../../core/time';

export type StatusCounts = Record<StaffingStatus, number>;
/** [resumed, waiting] */
export type ResumedCounts = [number, number];

export function countStatuses(checkpoints: CheckpointPoint[]): StatusCounts {
	const counts: StatusCounts = { full: 0, short: 0, empty: 0, not_held: 0 };
	for (const checkpoint of checkpoints) counts[checkpoint.status]++;
	return counts;
}

export function countResumed(points: ResumptionPoint[]): ResumedCounts {
	return [points.filter((p) => p.resumed).length, points.filter((p) => !p.resumed).length];
}

export interface OverlayFigures {
	lang: Lang;
	/** Areas on show without the day's report. */
	unreported: number;
	shift: ShiftName;
	statusCounts: StatusCounts | null;
	hexagons: number;
	hexagonKey: OverlayKeyEntry[];
	enterprises: ResumedCounts | null;
	projects: ResumedCounts | null;
}

/** The exported image's notes under its legend: no-report areas and each overlay on show. */
export function overlayNotes(figures: OverlayFigures): { color: Rgb | null; label: string }[] {
	const { lang, statusCounts, enterprises, projects } = figures;
	const w = words(lang);
	const notes: { color: Rgb | null; label: string }[] = [];
	if (figures.unreported)
		notes.push({
			color: [217, 95, 2],
			label: `${w.map_no_report_for_the_day()}  ${figures.unreported}`
		});
	if (statusCounts) {
		notes.push({
			color: null,
			label: `${w.map_checkpoints()} · ${SHIFT_LABELS[figures.shift][lang]}`
		});
		for (const s of Object.keys(statusCounts) as StaffingStatus[])
			notes.push({
				color: s === 'not_held' ? null : STATUS_COLORS[s],
				label: `${STATUS_LABELS[s][lang]}  ${statusCounts[s]}`
			});
	}
	if (figures.hexagons) {
		notes.push({
			color: null,
			label: w.map_hexagon_key_title()
		});
		for (const entry of figures.hexagonKey)
			notes.push({ color: entry.color, label: `${entry.label}  ${entry.count}` });
	}
	if (enterprises)
		notes.push({
			color: null,
			label: w.map_enterprises_resumed({
				resumed: enterprises[0],
				total: enterprises[0] + enterprises[1]
			})
		});
	if (projects)
		notes.push({
			color: null,
			label: w.map_projects_resumed({ resumed: projects[0], total: projects[0] + projects[1] })
		});
	return notes;
}
