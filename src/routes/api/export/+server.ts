import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseLevel } from '$lib/server/params';
import { getAreaFeatures, getDataPeriod } from '$lib/server/queries/areas';
import { getGridDetail } from '$lib/server/queries/layers';
import { writeAudit } from '$lib/server/audit';
import { toXlsx, type MetaLine } from '$lib/features/map/server/xlsx.server';
import { now } from '$lib/server/clock';
import { addDays } from '$lib/core/time';
import { isMetricId, METRICS, type AreaFigures } from '$lib/domain/metrics';
import {
	CLASS_METHODS,
	METHOD_LABELS,
	NORMALISATIONS,
	NORMALISATION_LABELS,
	shadeAreas,
	shadeChange,
	type ClassMethod,
	type Normalisation,
	type ShadedArea
} from '$lib/map/legend';
import { buildAreaTable, toCsv, type TableArea } from '$lib/map/table';
import { words, type Lang } from '$lib/core/i18n';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';
import { ensureRollupCurrent } from '$lib/server/rollup';

/** A 400 naming the parameter and what is wrong with it (`problem`, in the request's language). */
function bad(name: string, problem: string): never {
	error(400, {
		message: say().map_export_bad_parameter({ name, problem }),
		code: 'bad_parameter'
	});
}

function choice<T extends string>(
	url: URL,
	name: string,
	allowed: readonly T[],
	fallback: T | null
): T | null {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	if (!(allowed as readonly string[]).includes(raw))
		bad(
			name,
			say().map_export_expected_one_of({
				options: allowed.join(say().core_list_separator()),
				got: raw.slice(0, 30)
			})
		);
	return raw as T;
}

function integer(url: URL, name: string, min: number, max: number, fallback: number): number {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min || n > max)
		bad(name, say().map_export_expected_integer({ min, max, got: raw.slice(0, 20) }));
	return n;
}

/**
 * GET /api/export?format=csv|xlsx&metric=&level=&date=&classes=&n=&per=&compare=&drill=&lang=
 * The table behind the map view, as CSV or XLSX. Takes the page's own address parameters, so the
 * file holds what the view showed. Audited.
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const scope = requireScope(locals);
	const user = locals.user;
	if (!user) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	const format = choice(url, 'format', ['csv', 'xlsx'] as const, 'xlsx')!;
	const metricRaw = url.searchParams.get('metric') ?? 'screening_coverage';
	if (!isMetricId(metricRaw))
		bad('metric', say().map_export_no_metric({ metric: metricRaw.slice(0, 30) }));
	const metric = metricRaw;
	const level = parseLevel(url);
	const method = choice<ClassMethod>(url, 'classes', CLASS_METHODS, null);
	const classCount = integer(url, 'n', 3, 7, 5);
	const normalisation = choice<Normalisation>(url, 'per', NORMALISATIONS, 'count')!;
	const compare = integer(url, 'compare', 0, 60, 0);
	const lang: Lang =
		choice(url, 'lang', ['zh', 'en'] as const, locals.lang === 'en' ? 'en' : 'zh') === 'en'
			? 'en'
			: 'zh-CN';
	// The file's words are in its language (?lang=); refusals are in the request's (say()).
	const w = words(lang);
	const drill = url.searchParams.get('drill') ?? '';
	if (drill !== '' && !/^(\d{12}|\d{4})$/.test(drill))
		bad('drill', say().map_export_drill_format());

	const db = await getDb();
	const clock = await now(db);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say().core_no_data_loaded(), code: 'no_data' });
	const date = parseDate(url, period);
	const earlier = compare > 0 ? addDays(date, -compare) : null;
	if (earlier && earlier < period.first)
		bad(
			'compare',
			say().map_export_compare_too_early({
				date,
				days: compare,
				earlier,
				first: period.first
			})
		);

	const { areas, before, scopeName } = await withScope(db, scope, async (tx) => {
		const load = async (day: string): Promise<{ areas: TableArea[]; scopeName: string }> => {
			if (drill.length === 4) {
				const detail = await getGridDetail(tx, scope.subdistrictId, drill, day, clock);
				if (!detail)
					error(404, { message: say().core_no_grid({ code: drill }), code: 'not_found' });
				return {
					areas: detail.compounds.map((c) => ({
						...c.properties,
						communityName: detail.grid.communityName
					})),
					scopeName: w.map_export_grid_scope({
						community: detail.grid.communityName,
						code: detail.grid.code
					})
				};
			}
			const features = await getAreaFeatures(tx, drill.length === 12 ? 'grid' : level, day);
			const inside =
				drill.length === 12
					? features.filter((f) => f.properties.communityCode === drill)
					: features;
			if (drill.length === 12 && inside.length === 0)
				error(404, {
					message: say().core_no_community({ code: drill }),
					code: 'not_found'
				});
			return {
				areas: inside.map((f) => f.properties),
				scopeName:
					drill.length === 12 ? inside[0].properties.communityName : w.core_subdistrict_name()
			};
		};
		const now = await load(date);
		return { ...now, before: earlier ? (await load(earlier)).areas : null };
	});
	const options = { method: method ?? undefined, classCount, normalisation };
	const shaded = areas as (TableArea & AreaFigures)[];
	const shading = before
		? shadeChange(metric, shaded as ShadedArea[], before as ShadedArea[], compare, lang, options)
		: shadeAreas(metric, shaded as ShadedArea[], lang, options);
	const metricName = METRICS[metric].label[lang];
	const title = `${w.core_app_title()} · ${scopeName} · ${metricName} · ${date}`;
	const table = buildAreaTable(metric, areas, shading, lang, title);
	const classes = shading.scheme.classCount;
	// The classification in words, with the number of classes the map shows (fewer than asked when values repeat).
	const classification = shading.change
		? `${shading.change.title} · ${w.map_export_classes_shown({ n: classes })}`
		: `${w.map_export_method_classes({ method: METHOD_LABELS[shading.method][lang], n: classes })}${normalisation !== 'count' ? ` · ${NORMALISATION_LABELS[normalisation][lang]}` : ''}`;
	const description: MetaLine[] = [
		{ label: w.core_data_date(), value: { day: date } },
		...(earlier ? [{ label: w.map_export_compared_with(), value: { day: earlier } }] : []),
		{ label: w.core_classes(), value: classification },
		{ label: w.map_export_exported_at(), value: { instant: await now(db) } },
		{ label: w.map_export_exported_by(), value: user.username }
	];
	await withScope(db, scope, (tx) =>
		writeAudit(tx, {
			subdistrictId: scope.subdistrictId,
			actorUserId: user.id,
			actor: user.username,
			action: 'export.table',
			targetKind: drill ? (drill.length === 4 ? 'grid' : 'community') : 'subdistrict',
			targetId: drill || undefined,
			detail: { format, metric, date, level, compare, rows: table.rows.length },
			address: getClientAddress()
		})
	);
	const base = `gridwatch-${drill || level}-${metric}-${date}${compare ? `-vs-${compare}d` : ''}`;
	if (format === 'csv') {
		return new Response(toCsv(table), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${base}.csv"`
			}
		});
	}
	const bytes = await toXlsx(table, description, metricName);
	return new Response(bytes, {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${base}.xlsx"`
		}
	});
};
