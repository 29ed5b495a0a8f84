/**
 * Restores a backup made by `npm run backup` into an EMPTY database; it never overwrites one.
 * Usage: npm run restore -- <file>
 *   DATABASE_URL set: pg_restore into that database (create it first, with PostGIS).
 *   unset: into GRIDWATCH_DATA_DIR, which must be missing or empty.
 * The next start applies any migrations newer than the backup.
 */
import { resolve } from 'node:path';
import { readConfig } from '../config';
import { redact } from '../db/postgres';
import { restorePglite, restorePostgres } from '../backup';

export async function main(args: string[]): Promise<number> {
	const [source] = args;
	if (!source) {
		console.error(
			'Give the backup file to restore: npm run restore -- backups/gridwatch-2020-02-28.tar.gz'
		);
		return 2;
	}
	const config = readConfig();
	const file = resolve(source);
	try {
		const into = config.databaseUrl ? redact(config.databaseUrl) : config.dataDir;
		const result = config.databaseUrl
			? await restorePostgres(file, config.databaseUrl)
			: await restorePglite(file, config.dataDir);
		console.log(
			`Restored ${file} into ${into}: ${result.tables} tables, migrations up to ${result.latestMigration ?? '(none)'}. Start Gridwatch on it as usual.`
		);
		return 0;
	} catch (error) {
		console.error(`Restore failed: ${(error as Error).message}`);
		return 1;
	}
}
