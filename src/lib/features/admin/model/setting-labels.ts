import { words, type Lang } from '../../../core/i18n';

/**
 * The words the admin's settings forms use for each field, defined once: the form labels its
 * inputs with them and a refusal names the field the same way (not `screeningsPerWorker`).
 */
export const SETTING_LABELS = {
	returneeHours: 'admin_setting_returnee_hours',
	healthCheckBy: 'admin_setting_health_check_by',
	serviceKinds: 'admin_setting_service_kinds',
	serviceGraceMinutes: 'admin_setting_service_grace_minutes',
	serviceLookbackHours: 'admin_setting_service_lookback_hours',
	shiftHorizonHours: 'admin_setting_shift_horizon_hours',
	reportCutoff: 'admin_setting_report_cutoff',
	reportLookbackDays: 'admin_setting_report_lookback_days',
	observationEndingHours: 'admin_setting_observation_ending_hours',
	screeningsPerWorker: 'admin_setting_screenings_per_worker',
	householdsPerWorker: 'admin_setting_households_per_worker'
} as const;
type SettingLabelKey = (typeof SETTING_LABELS)[keyof typeof SETTING_LABELS];

/** A field's label in a language; the field's own name when it has none. */
export function settingLabel(field: string, lang: Lang): string {
	if (!Object.hasOwn(SETTING_LABELS, field)) return field;
	const key = (SETTING_LABELS as Record<string, SettingLabelKey>)[field];
	return words(lang)[key]();
}
