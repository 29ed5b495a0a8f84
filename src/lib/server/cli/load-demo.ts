/**
 * Loads the Baiyang demo into the database named by DATABASE_URL (or the embedded one).
 * Usage: npm run db:load-demo
 */
import { readConfig } from '../config';
import { openDatabase } from '../db/open';
import { loadDemo } from '../demo/load';
import { loadOrCreateSecret } from '../secret';

export async function main(): Promise<number> {
	const config = readConfig();
	const { db, migrations } = await openDatabase(
		{ ...config, loadDemoOnFirstStart: false },
		(line) => console.log(line)
	);
	try {
		if (migrations.length) console.log(`Applied migrations: ${migrations.join(', ')}`);
		const result = await loadDemo(db, loadOrCreateSecret(config));
		console.log(
			`Loaded the Baiyang demo (${result.gridDays} grid-days) in ${(result.durationMs / 1000).toFixed(1)} s.`
		);
		return 0;
	} finally {
		await db.close();
	}
}
