/**
 * The daily situation report (日报) for one day, as one self-contained HTML page (inline styles
 * and an SVG map, nothing to fetch), printable on A4 and convertible to PDF by Chromium.
 */
import type { Queryable } from '../../../server/db/types';
import { getAreaFeatures, getSummary, type GapCounts } from '../../../server/queries/areas';
import { addDays } from '../../../core/time';
import {
	METRICS,
	STAFF_ON_DUTY,
	formatMetricValue,
	type AreaFigures,
	type MetricId
} from '../../../domain/metrics';
import { communitiesWithGaps, worstAreas, type CommunityFigures } from '../../wall/scenes';
import { esc, reportMap, targetOf } from './map.server';
import { words, type Lang } from '../../../core/i18n';

export async function dailyReportHtml(
	db: Queryable,
	day: string,
	lang: Lang,
	generatedAt: string,
	subdistrictId: number,
	gaps?: GapCounts
): Promise<string | null> {
	const summary = await getSummary(db, day);
	if (!summary) return null;
	const grids = await getAreaFeatures(db, 'grid', day);
	const communities = await getAreaFeatures(db, 'community', day, gaps);
	const [asOfRow] = await db.query<{ asOf: string | null }>(
		`SELECT to_char(data_as_of($1, $2::date) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "asOf"`,
		[subdistrictId, day]
	);
	const en = lang === 'en';
	const w = words(lang);
	const f = summary.figures;
	const p = summary.previous;
	const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)}%` : '—');
	const delta = (a: number, b: number | undefined) =>
		b === undefined ? '—' : `${a - b > 0 ? '+' : ''}${(a - b).toLocaleString(lang)}`;
	const kpiRows: [string, string, string, string][] = [
		[
			w.wall_kpi_observed_households(),
			f.observedHouseholds.toLocaleString(lang),
			p ? p.observedHouseholds.toLocaleString(lang) : '—',
			delta(f.observedHouseholds, p?.observedHouseholds)
		],
		[
			w.wall_kpi_observed_persons(),
			f.observedPersons.toLocaleString(lang),
			p ? p.observedPersons.toLocaleString(lang) : '—',
			delta(f.observedPersons, p?.observedPersons)
		],
		[
			w.wall_kpi_screened_cum(),
			f.personsScreenedCum.toLocaleString(lang),
			p ? p.personsScreenedCum.toLocaleString(lang) : '—',
			delta(f.personsScreenedCum, p?.personsScreenedCum)
		],
		[
			w.core_screenings_today(),
			f.screenedToday.toLocaleString(lang),
			p ? p.screenedToday.toLocaleString(lang) : '—',
			delta(f.screenedToday, p?.screenedToday)
		],
		[
			w.report_kpi_returnee_coverage(),
			pct(f.returneesScreened, f.returneesDue),
			p ? pct(p.returneesScreened, p.returneesDue) : '—',
			w.core_target_at_least({ percent: 95 })
		],
		[
			w.core_unscreened_24h(),
			f.overdueScreenings.toLocaleString(lang),
			p ? p.overdueScreenings.toLocaleString(lang) : '—',
			delta(f.overdueScreenings, p?.overdueScreenings)
		],
		[
			METRICS.checkpoint_staffing.label[lang],
			pct(f.staffedShiftHours, f.requiredShiftHours),
			p ? pct(p.staffedShiftHours, p.requiredShiftHours) : '—',
			w.core_target_at_least({ percent: 95 })
		],
		[
			w.core_understaffed_shifts(),
			f.understaffedShifts.toLocaleString(lang),
			p ? p.understaffedShifts.toLocaleString(lang) : '—',
			delta(f.understaffedShifts, p?.understaffedShifts)
		],
		[
			w.report_kpi_staff_on_duty({ label: STAFF_ON_DUTY.label[lang] }),
			f.staffOnDuty.toLocaleString(lang),
			p ? p.staffOnDuty.toLocaleString(lang) : '—',
			delta(f.staffOnDuty, p?.staffOnDuty)
		],
		[
			w.wall_kpi_enterprises(),
			`${summary.enterprises.resumed.toLocaleString(lang)} / ${summary.enterprises.total.toLocaleString(lang)}`,
			'',
			''
		],
		[
			w.report_kpi_community_reports(),
			`${summary.communitiesReported} / ${summary.communities}`,
			'',
			''
		]
	];
	// Ratios below their target are flagged where printed; the rows above print them as pct() does.
	const belowTarget = new Set(
		(['screening_coverage', 'checkpoint_staffing'] as const)
			.map((m) => ({ value: METRICS[m].value(f as AreaFigures), target: targetOf(m)! }))
			.filter(({ value, target }) => value !== null && value < target)
			.map(({ value }) => `${(value! * 100).toFixed(1)}%`)
	);
	const flag = w.report_below_target_flag();
	const below = (metric: MetricId, value: number) =>
		targetOf(metric) !== null && value < targetOf(metric)!;
	const worstTable = (metric: MetricId) =>
		`<table><thead><tr><th>${w.core_grid()}</th><th>${w.core_community()}</th><th>${esc(METRICS[metric].label[lang])}</th></tr></thead><tbody>${worstAreas(
			grids.map((g) => g.properties),
			metric,
			10
		)
			.map(
				(w) =>
					`<tr><td>${w.area.code}</td><td>${esc(w.area.communityName)}</td><td class="num${below(metric, w.value) ? ' below' : ''}">${formatMetricValue(METRICS[metric], w.value, lang)}</td></tr>`
			)
			.join('')}</tbody></table>`;
	const behind = communitiesWithGaps(
		communities.map((c) => c.properties as unknown as CommunityFigures),
		day
	);
	// Communities behind on a target, then those with open items in the gap queue only.
	const listed = new Set(behind.map((g) => (g.kind === 'community' ? g.code : '')));
	const queueOnly = communities.filter(
		(c) => !listed.has(c.properties.code) && (c.properties.openGaps ?? 0) > 0
	);
	const row = (c: (typeof communities)[number]['properties'], reason: string) =>
		`<tr><td>${esc(en ? c.nameEn : c.name)}</td><td>${esc(reason)}</td><td class="num">${c.openGaps ?? '—'}</td><td class="num">${c.overdueScreenings}</td><td class="num">${c.understaffedShifts}</td><td>${c.lastReportAt ? c.lastReportAt.replace('T', ' ').slice(0, 16) : '—'}</td></tr>`;
	const gapRows =
		behind
			.map((g) =>
				g.kind === 'community'
					? row(
							communities.find((x) => x.properties.code === g.code)!.properties,
							en ? g.reasonEn : g.reason
						)
					: ''
			)
			.join('') + queueOnly.map((c) => row(c.properties, w.report_gap_queue_only())).join('');
	const map = reportMap(grids, communities, 'screening_coverage', day, lang);
	const title = w.report_title({
		name: en ? summary.subdistrict.nameEn : summary.subdistrict.name
	});
	// The page count in the footer: CSS strings around the page counters.
	const pageCounter =
		`"${w.report_page_counter({ page: '" counter(page) "', pages: '" counter(pages) "' })}"`
			.replace(/^"" /, '')
			.replace(/ ""$/, '');
	return `<!doctype html>
<html lang="${en ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><link rel="icon" href="/favicon.svg"><title>${esc(title)} ${day}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; color: #1b2230; margin: 0 auto; max-width: 186mm; font-size: 10.5pt; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 5mm 0 2mm; border-bottom: 0.4mm solid #1f2a3a; }
.meta { color: #555; margin-bottom: 3mm; } .map { width: 100%; max-height: 105mm; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 2mm 5mm; font-size: 9pt; margin-top: 1mm; } .key i { display: inline-block; width: 4mm; height: 3mm; margin-right: 1mm; vertical-align: -0.3mm; border: 0.2mm solid #666; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } th, td { border-bottom: 0.2mm solid #c9d0da; padding: 0.8mm 1.5mm; text-align: left; } th { background: #eef1f5; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; } section { break-inside: avoid; } .print { margin: 3mm 0; }
@media print { .print { display: none; } }
@page { @bottom-center { content: ${pageCounter}; font-size: 9pt; color: #555; } }
.key i.hatch { background: repeating-linear-gradient(45deg, #fff 0 1mm, #555 1mm 1.4mm); } .key i.dash { border: 0.6mm dashed #b3261e; background: #fff; }
.below { color: #b3261e; font-weight: 700; } .flag { color: #b3261e; white-space: nowrap; }
.sign { margin-top: 8mm; } .sign table td { height: 12mm; width: 35%; vertical-align: bottom; border-bottom: 0.3mm solid #1b2230; } .sign table th { width: 15%; background: none; }
</style></head><body>
<h1>${esc(title)}</h1>
<div class="meta">${w.report_meta({ day, asOf: asOfRow?.asOf ?? '—', generated: esc(generatedAt) })}</div>
<div class="print"><a href="/report.pdf?date=${day}&lang=${en ? 'en' : 'zh'}">${w.report_download_pdf()}</a> · <a href="javascript:window.print()">${w.report_print()}</a></div>
<section id="report-map"><h2>${w.report_section_map()}</h2>${map.svg}<div class="legend">${map.legend}</div></section>
<section id="report-kpis"><h2>${w.report_section_kpis({ day: addDays(day, -1) })}</h2>
<table><thead><tr><th>${w.report_col_figure()}</th><th class="num">${day}</th><th class="num">${addDays(day, -1)}</th><th class="num">${w.report_col_change_target()}</th></tr></thead><tbody>
${kpiRows.map((r) => `<tr><td>${esc(r[0])}</td><td class="num${belowTarget.has(r[1]) ? ' below' : ''}">${r[1]}</td><td class="num">${r[2]}</td><td class="num">${esc(r[3])}${belowTarget.has(r[1]) ? ` <span class="flag">${flag}</span>` : ''}</td></tr>`).join('')}
</tbody></table></section>
<section id="report-worst"><h2>${w.report_section_worst()}</h2><div class="two">${worstTable('screening_coverage')}${worstTable('checkpoint_staffing')}</div></section>
<section id="report-gaps"><h2>${w.report_section_gaps()}</h2>
${gapRows ? `<table><thead><tr><th>${w.core_community()}</th><th>${w.report_col_gap()}</th><th class="num">${w.report_col_open_items()}</th><th class="num">${w.core_unscreened_24h_short()}</th><th class="num">${w.core_understaffed_shifts()}</th><th>${w.core_last_report()}</th></tr></thead><tbody>${gapRows}</tbody></table>` : `<p>${w.report_no_gaps()}</p>`}
</section>
<section id="report-sign" class="sign"><table><tbody>
<tr><th>${w.report_sign_reviewed()}</th><td></td><th>${w.report_sign_approved()}</th><td></td></tr>
<tr><th>${w.core_date()}</th><td></td><th>${w.core_date()}</th><td></td></tr>
</tbody></table></section>
</body></html>`;
}
