/**
 * The audit log in words: each action and each detail field named as a person reads it
 * (“演示登录”, not `signin.demo`; “网格 0502 · 结果 正常”, not raw JSON). Codes stay in the
 * database and in the filter; these are only for showing them. The words are in the admin
 * feature's catalog (`admin_audit_…`); these tables name the message for each code.
 */
import { words, type Lang } from '../../../core/i18n';

const ACTIONS = {
	signin: 'admin_audit_signin',
	'signin.demo': 'admin_audit_signin_demo',
	'signin.failed': 'admin_audit_signin_failed',
	'signin.throttled': 'admin_audit_signin_throttled',
	signout: 'admin_audit_signout',
	'user.create': 'admin_audit_user_create',
	'user.disable': 'admin_audit_user_disable',
	'user.enable': 'admin_audit_user_enable',
	'user.rescope': 'admin_audit_user_rescope',
	'user.password_reset': 'admin_audit_user_password_reset',
	'wall_token.create': 'admin_audit_wall_token_create',
	'wall_token.revoke': 'admin_audit_wall_token_revoke',
	'gap_settings.save': 'admin_audit_gap_settings_save',
	'planner_norms.save': 'admin_audit_planner_norms_save',
	'gap.acknowledge': 'admin_audit_gap_acknowledge',
	'gap.assign': 'admin_audit_gap_assign',
	'gap.resolve': 'admin_audit_gap_resolve',
	'gap.reopen': 'admin_audit_gap_reopen',
	'shift.check_in': 'admin_audit_shift_check_in',
	'shift.check_in_undo': 'admin_audit_shift_check_in_undo',
	'screening.create': 'admin_audit_screening_create',
	'person.create': 'admin_audit_person_create',
	'daily_report.send': 'admin_audit_daily_report_send',
	'daily_report.correct': 'admin_audit_daily_report_correct',
	'observation.start': 'admin_audit_observation_start',
	'observation.check': 'admin_audit_observation_check',
	'observation.end': 'admin_audit_observation_end',
	'service.done': 'admin_audit_service_done',
	'service.missed': 'admin_audit_service_missed',
	'key_area.add': 'admin_audit_key_area_add',
	'key_area.remove': 'admin_audit_key_area_remove',
	'person.read': 'admin_audit_person_read',
	'export.table': 'admin_audit_export_table',
	'plan.apply': 'admin_audit_plan_apply',
	'plan.delete': 'admin_audit_plan_delete',
	'retention.purge': 'admin_audit_retention_purge',
	'retention.dry_run': 'admin_audit_retention_dry_run',
	'import.dry_run': 'admin_audit_import_dry_run',
	'import.commit': 'admin_audit_import_commit',
	'import.rollback': 'admin_audit_import_rollback',
	'person.merge': 'admin_audit_person_merge',
	'person.unmerge': 'admin_audit_person_unmerge',
	'person.keep_apart': 'admin_audit_person_keep_apart',
	'person.keep_apart_undo': 'admin_audit_person_keep_apart_undo'
} as const;

const TARGETS = {
	user: 'admin_audit_target_user',
	wall_token: 'admin_audit_target_wall_token',
	setting: 'admin_audit_target_setting',
	gap: 'admin_audit_target_gap',
	shift: 'admin_audit_target_shift',
	person: 'admin_audit_target_person',
	grid: 'core_kind_grid',
	community: 'core_kind_community',
	subdistrict: 'admin_audit_target_subdistrict',
	plan: 'admin_audit_target_plan',
	import: 'admin_audit_target_import'
} as const;

const DETAIL_FIELDS = {
	grid: 'core_kind_grid',
	day: 'admin_audit_field_day',
	date: 'admin_audit_field_date',
	method: 'admin_audit_field_method',
	result: 'admin_audit_field_result',
	screeningId: 'admin_audit_field_screening_id',
	rule: 'admin_audit_field_rule',
	status: 'admin_audit_field_status',
	staffId: 'admin_audit_field_staff_id',
	note: 'admin_audit_field_note',
	noted: 'admin_audit_field_noted',
	windowMinutes: 'admin_audit_field_window_minutes',
	gapsClosed: 'admin_audit_field_gaps_closed',
	personIds: 'admin_audit_field_persons',
	households: 'core_unit_households',
	format: 'admin_audit_field_format',
	metric: 'admin_audit_field_metric',
	level: 'admin_audit_field_level',
	compare: 'admin_audit_field_compare',
	rows: 'admin_audit_field_rows',
	role: 'admin_audit_field_role',
	username: 'admin_audit_field_username',
	areas: 'admin_audit_field_areas',
	suppressBelow: 'admin_audit_field_suppress_below',
	days: 'admin_audit_field_days',
	today: 'admin_audit_field_today',
	cutoff: 'admin_audit_field_cutoff',
	persons: 'admin_audit_field_persons',
	screenings: 'admin_audit_field_screenings',
	observations: 'admin_audit_field_observations',
	people: 'admin_audit_field_people',
	shifts: 'admin_audit_field_shifts',
	grids: 'admin_audit_field_grids',
	kind: 'admin_audit_field_kind',
	file: 'admin_audit_field_file',
	new: 'intake_count_new',
	updated: 'intake_count_updated',
	unchanged: 'intake_count_unchanged',
	rejected: 'intake_count_rejected',
	newBuildings: 'intake_count_new_buildings'
} as const;

const VALUE_WORDS = {
	door: 'admin_audit_value_door',
	phone: 'admin_audit_value_phone',
	checkpoint: 'admin_audit_value_checkpoint',
	normal: 'admin_audit_value_normal',
	fever: 'admin_audit_value_fever',
	referred: 'admin_audit_value_referred',
	open: 'admin_audit_value_open',
	acknowledged: 'admin_audit_value_acknowledged',
	assigned: 'admin_audit_value_assigned',
	resolved: 'admin_audit_value_resolved',
	closed: 'admin_audit_value_closed',
	name_phone: 'intake_dup_rule_name_phone',
	similar_name_phone: 'intake_dup_rule_similar_name_phone',
	similar_name_address: 'intake_dup_rule_similar_name_address',
	masked_name_phone: 'intake_dup_rule_masked_name_phone'
} as const;

type KeyOf<T> = T[keyof T];
/** The messages named above: none takes inputs. */
type PlainKey =
	| KeyOf<typeof ACTIONS>
	| KeyOf<typeof TARGETS>
	| KeyOf<typeof DETAIL_FIELDS>
	| KeyOf<typeof VALUE_WORDS>;
type Plain = Readonly<Record<string, PlainKey>>;

/** Each audited action's message. */
export const AUDIT_ACTIONS: Plain = ACTIONS;
/** Each kind of target's message. */
export const AUDIT_TARGETS: Plain = TARGETS;

/** A code's words from one of the tables above, or undefined when it has none (only its own keys count). */
function wordsOf(table: Plain, code: string, lang: Lang): string | undefined {
	return Object.hasOwn(table, code) ? words(lang)[table[code]]() : undefined;
}

/** An action in words; an action without words yet is shown as its code. */
export function auditActionWords(action: string, lang: Lang): string {
	return wordsOf(AUDIT_ACTIONS, action, lang) ?? action;
}

export function auditTargetWords(kind: string | null, id: string | null, lang: Lang): string {
	if (!kind) return id ?? '';
	const word = wordsOf(AUDIT_TARGETS, kind, lang) ?? kind;
	return id ? `${word} ${id}` : word;
}

function valueWords(value: unknown, lang: Lang): string {
	const w = words(lang);
	if (Array.isArray(value)) {
		if (value.length <= 3)
			return value.map((v) => valueWords(v, lang)).join(w.core_list_separator());
		return w.admin_audit_items({ n: value.length.toLocaleString(lang) });
	}
	if (typeof value === 'string') return wordsOf(VALUE_WORDS, value, lang) ?? value;
	if (typeof value === 'number') return value.toLocaleString(lang);
	if (typeof value === 'boolean') return value ? w.core_yes() : w.core_no();
	if (value === null || value === undefined) return '—';
	return Object.entries(value as Record<string, unknown>)
		.map(([k, v]) => `${wordsOf(DETAIL_FIELDS, k, lang) ?? k} ${valueWords(v, lang)}`)
		.join(w.core_comma());
}

/** A detail object as “field value · field value”, in the reader's language. */
export function auditDetailWords(detail: unknown, lang: Lang): string {
	if (detail === null || detail === undefined) return '';
	if (typeof detail !== 'object' || Array.isArray(detail)) return valueWords(detail, lang);
	const w = words(lang);
	return Object.entries(detail as Record<string, unknown>)
		.map(([key, value]) =>
			w.admin_audit_field_value({
				field: wordsOf(DETAIL_FIELDS, key, lang) ?? key,
				value: valueWords(value, lang)
			})
		)
		.join(' · ');
}

/** The detail fields that have words, for a test that every field written to the log has them. */
export function hasDetailWords(key: string): boolean {
	return key in DETAIL_FIELDS;
}
