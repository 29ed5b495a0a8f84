/**
 * Retention purge of person-level records, dry run by default.
 * Usage: npm run retention -- --days 30 [--today YYYY-MM-DD] [--apply]
 * After --apply, the grid_day rollup keeps its aggregates (they are not personal information).
 */
import { readConfig } from '../config';
import { openDatabase } from '../db/open';
import { runRetention } from '../retention';

function option(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
}

export async function main(args: string[]): Promise<number> {
	const rawDays = option(args, '--days');
	const days = Number(rawDays);
	if (rawDays === undefined || rawDays.trim() === '' || !Number.isInteger(days) || days < 0) {
		console.error(
			'--days is required: whole days to keep records after observation ended or screening closed, e.g. --days 30'
		);
		return 2;
	}
	const today = option(args, '--today') ?? new Date().toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
		console.error(`--today must be a date YYYY-MM-DD, not "${today}"`);
		return 2;
	}
	const apply = args.includes('--apply');
	const { db } = await openDatabase({
		...readConfig(),
		loadDemoOnFirstStart: false,
		demoMode: false
	});
	try {
		const [subdistrict] = await db.query<{ id: number; name: string }>(
			'SELECT id, name FROM subdistrict ORDER BY id LIMIT 1'
		);
		if (!subdistrict) {
			console.error('No subdistrict in the database.');
			return 1;
		}
		const result = await db.transaction((tx) =>
			runRetention(tx, {
				subdistrictId: subdistrict.id,
				days,
				today,
				apply,
				actor: 'cli:retention'
			})
		);
		console.log(
			`${subdistrict.name}: records whose observation ended or screening closed before ${result.cutoff}`
		);
		console.log(
			`  persons ${result.persons}, screenings ${result.screenings}, observations ${result.observations}`
		);
		for (const row of result.byCommunity) console.log(`  ${row.community}: ${row.persons}`);
		console.log(apply ? 'Purged.' : 'Dry run: nothing was deleted. Add --apply to purge.');
		return 0;
	} finally {
		await db.close();
	}
}
