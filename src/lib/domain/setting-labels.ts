/**
 * The words the admin's settings forms use for each field, defined once: the form labels its
 * inputs with them and a refusal names the field the same way (not `screeningsPerWorker`).
 */
export const SETTING_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
	returneeHours: {
		'zh-CN': '返杭人员超过多少小时未排查算缺口',
		en: 'Returnee unscreened after (hours)'
	},
	healthCheckBy: {
		'zh-CN': '居家观察户健康随访截止时间',
		en: 'Health check of observed households due by'
	},
	serviceKinds: { 'zh-CN': '逾期提醒的上门服务', en: 'Services watched for overdue' },
	serviceGraceMinutes: {
		'zh-CN': '服务到期后宽限（分钟）',
		en: 'Grace after a service is due (minutes)'
	},
	serviceLookbackHours: {
		'zh-CN': '服务逾期回看（小时）',
		en: 'Overdue services looked back over (hours)'
	},
	shiftHorizonHours: {
		'zh-CN': '检查未来多少小时内的卡口班次',
		en: 'Checkpoint shifts checked ahead (hours)'
	},
	reportCutoff: { 'zh-CN': '社区日报截止时间', en: 'Community daily report due by' },
	reportLookbackDays: { 'zh-CN': '日报回看天数', en: 'Days checked for missing reports' },
	observationEndingHours: {
		'zh-CN': '提示多少小时内期满的居家观察',
		en: 'Observations ending within (hours), for information'
	},
	screeningsPerWorker: {
		'zh-CN': '每人每天完成返杭人员排查（人）',
		en: 'Returnee screenings one worker completes a day'
	},
	householdsPerWorker: {
		'zh-CN': '每人每天服务居家观察户（户）',
		en: 'Observed households one worker serves a day'
	}
};

/** A field's label in a language; the field's own name when it has none. */
export function settingLabel(field: string, lang: 'zh-CN' | 'en'): string {
	return SETTING_LABELS[field]?.[lang] ?? field;
}
