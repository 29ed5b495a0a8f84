import type { Queryable } from './db/types';

/**
 * One row of `app_setting` (administrators change them from the admin pages), read through the
 * setting's own parser: a missing or unreadable value gives the defaults, never an error.
 */
export async function readSetting<T>(
	db: Queryable,
	key: string,
	parse: (value: unknown) => T | null,
	defaults: T
): Promise<T> {
	const [row] = await db.query<{ value: unknown }>('SELECT value FROM app_setting WHERE key = $1', [
		key
	]);
	return parse(row?.value ?? null) ?? structuredClone(defaults);
}

/** Stores a setting (already checked by its parser), replacing any earlier value. */
export async function writeSetting(db: Queryable, key: string, value: unknown): Promise<void> {
	await db.query(
		`INSERT INTO app_setting (key, value, updated_at) VALUES ($1, $2::text::jsonb, now())
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		[key, JSON.stringify(value)]
	);
}
