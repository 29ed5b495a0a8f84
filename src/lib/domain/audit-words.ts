/**
 * The audit log in words: each action and each detail field named as a person reads it
 * (“演示登录”, not `signin.demo`; “网格 0502 · 结果 正常”, not raw JSON). Codes stay in the
 * database and in the filter; these are only for showing them.
 */
type Words = { 'zh-CN': string; en: string };
type Lang = 'zh-CN' | 'en';

export const AUDIT_ACTIONS: Record<string, Words> = {
	signin: { 'zh-CN': '登录', en: 'Signed in' },
	'signin.demo': { 'zh-CN': '演示角色登录', en: 'Signed in as a demo role' },
	'signin.failed': { 'zh-CN': '登录失败', en: 'Failed sign-in' },
	'signin.throttled': {
		'zh-CN': '登录被限制（失败次数过多）',
		en: 'Sign-in held back (too many failures)'
	},
	signout: { 'zh-CN': '退出登录', en: 'Signed out' },
	'user.create': { 'zh-CN': '新建用户', en: 'Created a user' },
	'user.disable': { 'zh-CN': '停用用户', en: 'Disabled a user' },
	'user.enable': { 'zh-CN': '启用用户', en: 'Enabled a user' },
	'user.rescope': { 'zh-CN': '修改用户范围', en: 'Changed a user’s scope' },
	'user.password_reset': { 'zh-CN': '重置密码', en: 'Reset a password' },
	'wall_token.create': { 'zh-CN': '新建大屏链接', en: 'Created a wall link' },
	'wall_token.revoke': { 'zh-CN': '撤销大屏链接', en: 'Revoked a wall link' },
	'gap_settings.save': { 'zh-CN': '保存缺口规则', en: 'Saved the gap rules' },
	'planner_norms.save': { 'zh-CN': '保存工作量标准', en: 'Saved the workload norms' },
	'gap.acknowledge': { 'zh-CN': '认领缺口', en: 'Acknowledged a gap' },
	'gap.assign': { 'zh-CN': '指派缺口', en: 'Assigned a gap' },
	'gap.resolve': { 'zh-CN': '处置缺口', en: 'Resolved a gap' },
	'gap.reopen': { 'zh-CN': '重新打开缺口', en: 'Reopened a gap' },
	'shift.check_in': { 'zh-CN': '登记到岗', en: 'Recorded an arrival' },
	'shift.check_in_undo': { 'zh-CN': '撤销到岗', en: 'Took back an arrival' },
	'screening.create': { 'zh-CN': '登记排查', en: 'Recorded a screening' },
	'person.read': { 'zh-CN': '查看人员名单', en: 'Read person records' },
	'export.table': { 'zh-CN': '导出表格', en: 'Exported a table' },
	'plan.apply': { 'zh-CN': '执行增援方案', en: 'Applied a reinforcement plan' },
	'plan.delete': { 'zh-CN': '删除增援方案', en: 'Deleted a reinforcement plan' },
	'retention.purge': { 'zh-CN': '清除过期个人信息', en: 'Purged expired personal records' },
	'retention.dry_run': {
		'zh-CN': '检查过期个人信息（未删除）',
		en: 'Checked for expired personal records (nothing deleted)'
	}
};

export const AUDIT_TARGETS: Record<string, Words> = {
	user: { 'zh-CN': '用户', en: 'user' },
	wall_token: { 'zh-CN': '大屏链接', en: 'wall link' },
	setting: { 'zh-CN': '设置', en: 'setting' },
	gap: { 'zh-CN': '缺口', en: 'gap' },
	shift: { 'zh-CN': '班次', en: 'shift' },
	person: { 'zh-CN': '人员', en: 'person' },
	grid: { 'zh-CN': '网格', en: 'grid' },
	community: { 'zh-CN': '社区', en: 'community' },
	subdistrict: { 'zh-CN': '街道', en: 'subdistrict' },
	plan: { 'zh-CN': '方案', en: 'plan' }
};

const DETAIL_FIELDS: Record<string, Words> = {
	grid: { 'zh-CN': '网格', en: 'grid' },
	day: { 'zh-CN': '日期', en: 'day' },
	date: { 'zh-CN': '日期', en: 'date' },
	method: { 'zh-CN': '方式', en: 'method' },
	result: { 'zh-CN': '结果', en: 'result' },
	screeningId: { 'zh-CN': '排查记录', en: 'screening' },
	rule: { 'zh-CN': '规则', en: 'rule' },
	status: { 'zh-CN': '状态', en: 'status' },
	staffId: { 'zh-CN': '指派人员', en: 'assigned to staff' },
	note: { 'zh-CN': '说明', en: 'note' },
	noted: { 'zh-CN': '附处置说明', en: 'with a resolution note' },
	windowMinutes: { 'zh-CN': '限制时段（分钟）', en: 'held back for (minutes)' },
	gapsClosed: { 'zh-CN': '关闭缺口', en: 'gaps closed' },
	personIds: { 'zh-CN': '人员', en: 'persons' },
	households: { 'zh-CN': '户', en: 'households' },
	format: { 'zh-CN': '格式', en: 'format' },
	metric: { 'zh-CN': '指标', en: 'metric' },
	level: { 'zh-CN': '层级', en: 'level' },
	compare: { 'zh-CN': '对比', en: 'compared with' },
	rows: { 'zh-CN': '行数', en: 'rows' },
	role: { 'zh-CN': '角色', en: 'role' },
	username: { 'zh-CN': '用户名', en: 'username' },
	areas: { 'zh-CN': '范围', en: 'scope' },
	suppressBelow: { 'zh-CN': '小数抑制阈值', en: 'small counts withheld below' },
	days: { 'zh-CN': '保留天数', en: 'retention days' },
	today: { 'zh-CN': '执行日', en: 'run on' },
	cutoff: { 'zh-CN': '截止', en: 'cut-off' },
	persons: { 'zh-CN': '人员', en: 'persons' },
	screenings: { 'zh-CN': '排查记录', en: 'screenings' },
	observations: { 'zh-CN': '观察记录', en: 'observations' },
	people: { 'zh-CN': '人数', en: 'people' },
	shifts: { 'zh-CN': '班次', en: 'shifts' },
	grids: { 'zh-CN': '网格数', en: 'grids' }
};

const VALUE_WORDS: Record<string, Words> = {
	door: { 'zh-CN': '入户', en: 'door to door' },
	phone: { 'zh-CN': '电话', en: 'by phone' },
	checkpoint: { 'zh-CN': '卡口', en: 'at a checkpoint' },
	normal: { 'zh-CN': '正常', en: 'normal' },
	fever: { 'zh-CN': '发热', en: 'fever' },
	referred: { 'zh-CN': '转诊', en: 'referred' },
	open: { 'zh-CN': '未处置', en: 'open' },
	acknowledged: { 'zh-CN': '已认领', en: 'acknowledged' },
	assigned: { 'zh-CN': '已指派', en: 'assigned' },
	resolved: { 'zh-CN': '已处置', en: 'resolved' },
	closed: { 'zh-CN': '已关闭', en: 'closed' }
};

/** An action in words; an action without words yet is shown as its code. */
export function auditActionWords(action: string, lang: Lang): string {
	return AUDIT_ACTIONS[action]?.[lang] ?? action;
}

export function auditTargetWords(kind: string | null, id: string | null, lang: Lang): string {
	if (!kind) return id ?? '';
	const word = AUDIT_TARGETS[kind]?.[lang] ?? kind;
	return id ? `${word} ${id}` : word;
}

function valueWords(value: unknown, lang: Lang): string {
	if (Array.isArray(value)) {
		if (value.length <= 3)
			return value.map((v) => valueWords(v, lang)).join(lang === 'en' ? ', ' : '、');
		return lang === 'en'
			? `${value.length.toLocaleString('en')} items`
			: `${value.length.toLocaleString('zh-CN')} 项`;
	}
	if (typeof value === 'string') return VALUE_WORDS[value]?.[lang] ?? value;
	if (typeof value === 'number') return value.toLocaleString(lang);
	if (typeof value === 'boolean')
		return value ? (lang === 'en' ? 'yes' : '是') : lang === 'en' ? 'no' : '否';
	if (value === null || value === undefined) return '—';
	return Object.entries(value as Record<string, unknown>)
		.map(([k, v]) => `${DETAIL_FIELDS[k]?.[lang] ?? k} ${valueWords(v, lang)}`)
		.join(lang === 'en' ? ', ' : '，');
}

/** A detail object as “field value · field value”, in the reader's language. */
export function auditDetailWords(detail: unknown, lang: Lang): string {
	if (detail === null || detail === undefined) return '';
	if (typeof detail !== 'object' || Array.isArray(detail)) return valueWords(detail, lang);
	return Object.entries(detail as Record<string, unknown>)
		.map(
			([key, value]) =>
				`${DETAIL_FIELDS[key]?.[lang] ?? key}${lang === 'en' ? ': ' : '：'}${valueWords(value, lang)}`
		)
		.join(' · ');
}

/** The detail fields that have words, for a test that every field written to the log has them. */
export function hasDetailWords(key: string): boolean {
	return key in DETAIL_FIELDS;
}
