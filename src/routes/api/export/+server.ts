import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireScope } from '$lib/server/access';
import { withScope } from '$lib/server/db/scope';
import { parseDate, parseLevel } from '$lib/server/params';
import { getAreaFeatures, getDataPeriod } from '$lib/server/queries/areas';
import { getGridDetail } from '$lib/server/queries/layers';
import { writeAudit } from '$lib/server/audit';
import { toXlsx, type MetaLine } from '$lib/server/export/xlsx';
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
import type { Lang } from '$lib/i18n';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';
import { ensureRollupCurrent } from '$lib/server/rollup';

function bad(name: string, zh: string, en: string): never {
	error(400, {
		message: say(`参数 ${name} 无效：${zh}`, `Invalid parameter ${name}: ${en}`),
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
			`应为 ${allowed.join('、')} 之一，收到 "${raw.slice(0, 30)}"`,
			`expected one of ${allowed.join(', ')}, got "${raw.slice(0, 30)}"`
		);
	return raw as T;
}

function integer(url: URL, name: string, min: number, max: number, fallback: number): number {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min || n > max)
		bad(
			name,
			`应为 ${min} 至 ${max} 的整数，收到 "${raw.slice(0, 20)}"`,
			`expected a whole number from ${min} to ${max}, got "${raw.slice(0, 20)}"`
		);
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
	if (!user) error(401, { message: say('请先登录', 'Sign in first'), code: 'unauthenticated' });
	const format = choice(url, 'format', ['csv', 'xlsx'] as const, 'xlsx')!;
	const metricRaw = url.searchParams.get('metric') ?? 'screening_coverage';
	if (!isMetricId(metricRaw))
		bad('metric', `没有指标 "${metricRaw.slice(0, 30)}"`, `no metric "${metricRaw.slice(0, 30)}"`);
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
	const drill = url.searchParams.get('drill') ?? '';
	if (drill !== '' && !/^(\d{12}|\d{4})$/.test(drill))
		bad(
			'drill',
			'应为 12 位社区编码或 4 位网格编码',
			'expected a 12-digit community code or a 4-digit grid code'
		);

	const db = await getDb();
	const clock = await now(db);
	await ensureRollupCurrent(db, scope.subdistrictId, clock);
	const period = await getDataPeriod(db);
	if (!period) error(404, { message: say('尚无数据', 'No data loaded yet'), code: 'no_data' });
	const date = parseDate(url, period);
	const earlier = compare > 0 ? addDays(date, -compare) : null;
	if (earlier && earlier < period.first)
		bad(
			'compare',
			`${date} 前 ${compare} 天（${earlier}）早于数据起始日 ${period.first}`,
			`${compare} days before ${date} (${earlier}) is before the data begins on ${period.first}`
		);

	const { areas, before, scopeName } = await withScope(db, scope, async (tx) => {
		const load = async (day: string): Promise<{ areas: TableArea[]; scopeName: string }> => {
			if (drill.length === 4) {
				const detail = await getGridDetail(tx, scope.subdistrictId, drill, day, clock);
				if (!detail)
					error(404, { message: say(`没有网格 ${drill}`, `No grid ${drill}`), code: 'not_found' });
				return {
					areas: detail.compounds.map((c) => ({
						...c.properties,
						communityName: detail.grid.communityName
					})),
					scopeName: `${detail.grid.communityName} ${lang === 'en' ? 'grid' : '网格'} ${detail.grid.code}`
				};
			}
			const features = await getAreaFeatures(tx, drill.length === 12 ? 'grid' : level, day);
			const inside =
				drill.length === 12
					? features.filter((f) => f.properties.communityCode === drill)
					: features;
			if (drill.length === 12 && inside.length === 0)
				error(404, {
					message: say(`没有社区 ${drill}`, `No community ${drill}`),
					code: 'not_found'
				});
			return {
				areas: inside.map((f) => f.properties),
				scopeName:
					drill.length === 12
						? inside[0].properties.communityName
						: lang === 'en'
							? 'Baiyang Subdistrict'
							: '白杨街道'
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
	const title = `${lang === 'en' ? 'Gridwatch' : '网格态势图'} · ${scopeName} · ${metricName} · ${date}`;
	const table = buildAreaTable(metric, areas, shading, lang, title);
	const en = lang === 'en';
	const classes = shading.scheme.classCount;
	// The classification in words, with the number of classes the map shows (fewer than asked when values repeat).
	const classification = shading.change
		? `${shading.change.title} · ${en ? `${classes} classes shown` : `图中 ${classes} 级`}`
		: `${METHOD_LABELS[shading.method][lang]}${en ? ',' : '，'}${en ? `${classes} classes shown` : `图中 ${classes} 级`}${normalisation !== 'count' ? ` · ${NORMALISATION_LABELS[normalisation][lang]}` : ''}`;
	const description: MetaLine[] = [
		{ label: en ? 'Data date' : '数据日期', value: { day: date } },
		...(earlier ? [{ label: en ? 'Compared with' : '对比日期', value: { day: earlier } }] : []),
		{ label: en ? 'Classes' : '分级', value: classification },
		{
			label: en ? 'Exported (Beijing time)' : '导出时间（北京时间）',
			value: { instant: await now(db) }
		},
		{ label: en ? 'Exported by' : '导出人', value: user.username }
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
