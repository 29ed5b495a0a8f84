/** UI strings, Chinese first (zh-CN), English available. */
import { STAFF_ON_DUTY } from './domain/metrics';
export type { Lang } from './core/i18n';
import type { Lang } from './core/i18n';

const STRINGS = {
	title: { 'zh-CN': '网格态势图', en: 'Gridwatch' },
	subtitle: {
		'zh-CN': '白杨街道 疫情防控网格态势',
		en: 'Baiyang Subdistrict epidemic-control grid map'
	},
	demoBanner: { 'zh-CN': '演示数据（合成）', en: 'Demo data (synthetic)' },
	metric: { 'zh-CN': '指标', en: 'Metric' },
	level: { 'zh-CN': '层级', en: 'Level' },
	levelCommunity: { 'zh-CN': '社区', en: 'Communities' },
	levelGrid: { 'zh-CN': '网格', en: 'Grids' },
	date: { 'zh-CN': '日期', en: 'Date' },
	previousDay: { 'zh-CN': '前一天', en: 'Previous day' },
	nextDay: { 'zh-CN': '后一天', en: 'Next day' },
	legend: { 'zh-CN': '图例', en: 'Legend' },
	noData: { 'zh-CN': '无数据', en: 'No data' },
	dataDate: { 'zh-CN': '数据日期', en: 'Data date' },
	areas: { 'zh-CN': '个', en: 'areas' },
	close: { 'zh-CN': '关闭', en: 'Close' },
	community: { 'zh-CN': '所属社区', en: 'Community' },
	area: { 'zh-CN': '面积', en: 'Area' },
	households: { 'zh-CN': '登记户数', en: 'Registered households' },
	residents: { 'zh-CN': '登记人口', en: 'Registered residents' },
	observedHouseholds: { 'zh-CN': '居家观察户数', en: 'Observed households' },
	observedPersons: { 'zh-CN': '居家观察人数', en: 'Observed persons' },
	observedCum: {
		'zh-CN': '累计居家观察（户/人）',
		en: 'Cumulative observed (households / persons)'
	},
	per1000: { 'zh-CN': '每千户观察户数', en: 'Observed per 1,000 households' },
	coverage: { 'zh-CN': '排查覆盖率', en: 'Screening coverage' },
	screened: { 'zh-CN': '已排查 / 应排查返杭人员', en: 'Returnees screened / due' },
	screenedToday: { 'zh-CN': '当日排查人次', en: 'Screenings today' },
	overdue: { 'zh-CN': '超 24 小时未排查', en: 'Unscreened over 24 h' },
	staffing: { 'zh-CN': '卡口在岗率（全天）', en: 'Checkpoint staffing (all day)' },
	shiftHours: { 'zh-CN': '在岗 / 应岗班时', en: 'Staffed / required shift-hours' },
	understaffed: { 'zh-CN': '缺员班次', en: 'Understaffed shifts' },
	checkpoints: { 'zh-CN': '开放卡口', en: 'Open checkpoints' },
	onDuty: STAFF_ON_DUTY.label,
	onDutyDefinition: STAFF_ON_DUTY.definition,
	lastReport: { 'zh-CN': '最近上报', en: 'Last report' },
	noReportToday: { 'zh-CN': '当日未上报', en: 'No report for this day' },
	summary: { 'zh-CN': '街道合计', en: 'Subdistrict totals' },
	clickHint: { 'zh-CN': '点击网格查看详情', en: 'Click an area for its figures' },
	loading: { 'zh-CN': '加载中…', en: 'Loading…' },
	loadFailed: { 'zh-CN': '数据加载失败', en: 'Could not load data' },
	switchLang: { 'zh-CN': 'English', en: '中文' }
} as const;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Lang, key: StringKey): string {
	return STRINGS[key][lang];
}
