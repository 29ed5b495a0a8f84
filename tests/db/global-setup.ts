import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/lib/server/db/postgres';
import { migrate } from '../../src/lib/server/db/migrate';
import { loadDemo } from '../../src/lib/server/demo/load';
import { TEST_SECRET } from '../../src/lib/server/secret';
import { seededPgliteDir } from '../support/seeded-pglite';

/** Prepares the seeded database once per run: PGlite folder, or the PostGIS server database. */
export default async function setup(project: TestProject) {
	if (project.name === 'db-postgis') {
		const url = process.env.TEST_DATABASE_URL;
		if (!url) throw new Error('TEST_DATABASE_URL is required for the db-postgis tier');
		const db = await openPostgres(url);
		try {
			await migrate(db);
			const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subdistrict');
			if (n === 0) await loadDemo(db, TEST_SECRET);
		} finally {
			await db.close();
		}
	} else {
		await seededPgliteDir();
	}
}
