import type { Db } from './types';

/** Migrations: numbered, forward-only .sql files, bundled at build time. */
const files = import.meta.glob('./migrations/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export const MIGRATIONS: { version: string; sql: string }[] = Object.entries(files)
	.map(([path, sql]) => ({ version: path.replace(/^.*\//, '').replace(/\.sql$/, ''), sql }))
	.sort((a, b) => a.version.localeCompare(b.version));

/** Checks PostGIS on a server database, creating the extension when it is available. */
async function ensurePostgis(db: Db): Promise<void> {
	const [available] = await db.query<{ installed: string | null; available: boolean }>(
		`SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS installed,
		        EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available`
	);
	if (available.installed) return;
	if (!available.available) {
		throw new Error(
			'The database server has no PostGIS. Install it on the server (Debian/Ubuntu: ' +
				'`apt-get install postgresql-15-postgis-3`, matching your PostgreSQL version), then start Gridwatch again.'
		);
	}
	try {
		await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
	} catch (cause) {
		throw new Error(
			`PostGIS is installed on the server but not enabled in this database, and this user cannot enable it (${(cause as Error).message}). ` +
				'Ask a superuser to run `CREATE EXTENSION postgis;` in this database.',
			{ cause }
		);
	}
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the versions applied. */
export async function migrate(db: Db): Promise<string[]> {
	if (db.backend === 'postgres') await ensurePostgis(db);
	await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
		version    text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`);
	const applied: string[] = [];
	for (const migration of MIGRATIONS) {
		const done = await db.transaction(async (tx) => {
			// Several app instances may start together: one migrates, the others wait.
			await tx.query('SELECT pg_advisory_xact_lock(20200125)');
			const [row] = await tx.query('SELECT 1 AS done FROM schema_migration WHERE version = $1', [
				migration.version
			]);
			if (row) return false;
			await tx.exec(migration.sql);
			await tx.query('INSERT INTO schema_migration (version) VALUES ($1)', [migration.version]);
			return true;
		});
		if (done) applied.push(migration.version);
	}
	return applied;
}
