/**
 * Backs up the configured database into a new file.
 * Usage: npm run backup -- <file>
 *   DATABASE_URL set: pg_dump's custom format (restore with pg_restore or `npm run restore`).
 *   unset: the embedded database in GRIDWATCH_DATA_DIR as a .tar.gz (stop the server first: it holds the folder).
 */
import { resolve } from 'node:path';
import { readConfig } from '../config';
import { redact } from '../db/postgres';
import { backupPglite, backupPostgres } from '../backup';

export async function main(args: string[]): Promise<number> {
	const [target] = args;
	if (!target) {
		console.error(
			'Give the backup file to write: npm run backup -- backups/gridwatch-2020-02-28.tar.gz (embedded) or …dump (server)'
		);
		return 2;
	}
	const config = readConfig();
	const file = resolve(target);
	try {
		if (config.databaseUrl) {
			const { bytes } = await backupPostgres(config.databaseUrl, file);
			console.log(
				`Backed up ${redact(config.databaseUrl)} to ${file} (pg_dump custom format, ${(bytes / 1e6).toFixed(1)} MB).`
			);
		} else {
			const { tables, bytes } = await backupPglite(config.dataDir, file);
			console.log(
				`Backed up the embedded database in ${config.dataDir} (${tables} tables) to ${file} (${(bytes / 1e6).toFixed(1)} MB).`
			);
		}
		return 0;
	} catch (error) {
		console.error(`Backup failed: ${(error as Error).message}`);
		return 1;
	}
}
