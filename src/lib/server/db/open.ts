import type { Config } from '../config';
import { loadDemo } from '../demo/load';
import { ensureDemoUsers } from '../../features/auth/server/demo-users.server';
import { loadOrCreateSecret } from '../secret';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

export interface OpenedDb {
	db: Db;
	migrations: string[];
	demoLoaded: boolean;
}

/** Opens the configured database, applies migrations, and loads the demo into an empty one if asked. */
export async function openDatabase(
	config: Config,
	log: (line: string) => void = () => {}
): Promise<OpenedDb> {
	let db: Db;
	if (config.databaseUrl) {
		db = await openPostgres(config.databaseUrl);
		const [role] = await db.query<{ superuser: boolean; name: string }>(
			'SELECT rolsuper AS superuser, current_user AS name FROM pg_roles WHERE rolname = current_user'
		);
		if (role?.superuser) {
			log(
				`Warning: DATABASE_URL connects as the superuser "${role.name}". Row-level security holds for the app's queries, but a superuser session can switch roles: run Gridwatch as an ordinary owner role in production.`
			);
		}
	} else {
		log(
			`Opening the embedded database in ${config.dataDir} (the first start unpacks PostGIS and loads the demo: about a minute)…`
		);
		db = await openPglite(config.dataDir);
	}
	try {
		// Create (first start) or check the server secret now, so a damaged one stops the start.
		const secret = loadOrCreateSecret(config);
		const migrations = await migrate(db);
		let demoLoaded = false;
		if (config.loadDemoOnFirstStart) {
			const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subdistrict');
			if (n === 0) {
				log('Loading the Baiyang demo data…');
				const result = await loadDemo(db, secret);
				log(
					`Demo loaded in ${(result.durationMs / 1000).toFixed(1)} s (${result.gridDays} grid-days).`
				);
				demoLoaded = true;
			}
		}
		if (config.demoMode) await ensureDemoUsers(db);
		return { db, migrations, demoLoaded };
	} catch (error) {
		await db.close();
		throw error;
	}
}
