import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { now } from '$lib/server/clock';
import { writeAudit } from '$lib/server/audit';
import { loadGapSettings, saveGapSettings, syncGaps } from '$lib/features/gaps/server/gaps.server';
import { DEFAULT_GAP_SETTINGS, parseGapSettings } from '$lib/features/gaps/model/gaps';
import { DEFAULT_NORMS, NORM_KEYS, parseNorms } from '$lib/features/planner/model/planner';
import { loadNorms, saveNorms } from '$lib/features/planner/server/scenarios.server';
import { readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { currentLang, say } from '$lib/server/say';
import { settingLabel } from '$lib/features/admin/model/setting-labels';
import type { Bilingual } from '$lib/core/i18n';

export const load: PageServerLoad = async ({ locals }) => ({
	lang: locals.lang,
	settings: await loadGapSettings(await getDb()),
	defaults: DEFAULT_GAP_SETTINGS,
	norms: await loadNorms(await getDb()),
	defaultNorms: DEFAULT_NORMS
});

/** A refused setting, in the request's language: which setting, and what it should be. */
function invalidSetting(error: { field: string } & Bilingual): string {
	const lang = currentLang();
	return say().gaps_setting_invalid({
		setting: settingLabel(error.field, lang),
		reason: error[lang]
	});
}

const NUMBERS = [
	'returneeHours',
	'serviceGraceMinutes',
	'serviceLookbackHours',
	'shiftHorizonHours',
	'reportLookbackDays',
	'observationEndingHours'
] as const;

/** What the administrator typed, sent back with a refusal so the form shows it for correcting (nothing was saved). */
function typedValues(form: FormData): Record<string, string[]> {
	const typed: Record<string, string[]> = {};
	for (const [key, value] of form) if (typeof value === 'string') (typed[key] ??= []).push(value);
	return typed;
}

export const actions: Actions = {
	/** Saves the gap rules' settings (all or nothing) and runs the rules again with them. */
	save: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const raw: Record<string, unknown> = {};
		for (const key of NUMBERS) {
			const text = String(form.get(key) ?? '').trim();
			raw[key] = text === '' || !/^\d+(\.\d+)?$/.test(text) ? text : Number(text);
		}
		raw.healthCheckBy = String(form.get('healthCheckBy') ?? '').trim();
		raw.reportCutoff = String(form.get('reportCutoff') ?? '').trim();
		raw.serviceKinds = form.getAll('serviceKinds').map(String);
		const parsed = parseGapSettings(raw);
		if ('error' in parsed) {
			return fail(400, {
				message: invalidSetting(parsed.error),
				field: parsed.error.field,
				typed: typedValues(form)
			});
		}
		const admin = locals.user!;
		const db = await getDb();
		const clock = await now(db);
		await db.transaction(async (tx) => {
			await saveGapSettings(tx, parsed.settings);
			await writeAudit(tx, {
				subdistrictId: admin.subdistrictId,
				actorUserId: admin.id,
				actor: admin.username,
				action: 'gap_settings.save',
				targetKind: 'setting',
				targetId: 'gaps',
				detail: { ...parsed.settings },
				address: getClientAddress()
			});
			await syncGaps(tx, admin.subdistrictId, clock, { settings: parsed.settings });
		});
		return {
			message: say().gaps_settings_saved(),
			field: null
		};
	},
	/** Saves the planner's workload norms (both or neither); audited. */
	norms: async ({ request, locals, getClientAddress }) => {
		const form = await readForm(request);
		const raw: Record<string, unknown> = {};
		for (const key of NORM_KEYS) {
			const text = String(form.get(key) ?? '').trim();
			raw[key] = /^\d+(\.\d+)?$/.test(text) ? Number(text) : text || '∅';
		}
		const parsed = parseNorms(raw);
		if ('error' in parsed) {
			return fail(400, {
				normsMessage: invalidSetting(parsed.error),
				field: parsed.error.field,
				normsTyped: typedValues(form)
			});
		}
		const admin = locals.user!;
		const db = await getDb();
		await db.transaction(async (tx) => {
			await saveNorms(tx, parsed.norms);
			await writeAudit(tx, {
				subdistrictId: admin.subdistrictId,
				actorUserId: admin.id,
				actor: admin.username,
				action: 'planner_norms.save',
				targetKind: 'setting',
				targetId: 'planner',
				detail: { ...parsed.norms },
				address: getClientAddress()
			});
		});
		return {
			normsMessage: say().gaps_norms_saved(),
			field: null
		};
	}
};
