import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync
} from 'node:fs';
import { join, resolve } from 'node:path';
import { openPglite } from '../../src/lib/server/db/pglite';
import { migrate } from '../../src/lib/server/db/migrate';
import { loadDemo } from '../../src/lib/server/demo/load';
import { TEST_SECRET } from '../../src/lib/server/secret';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'data/test');

/** A fingerprint of everything that shapes the seeded database: migrations and the generator. */
function fingerprint(): string {
	const hash = createHash('sha256');
	for (const dir of [
		'src/lib/server/db/migrations',
		'src/lib/server/db/functions',
		'src/lib/server/demo',
		'src/lib/domain',
		'src/lib/features/gaps/model',
		'src/lib/features/planner/model',
		'src/lib/features/shifts/model',
		'src/lib/features/auth/model',
		'src/lib/features/admin/model'
	]) {
		for (const file of readdirSync(join(ROOT, dir)).sort())
			hash.update(file).update(readFileSync(join(ROOT, dir, file)));
	}
	hash.update(readFileSync(join(ROOT, 'src/lib/server/db/migrate.ts')));
	hash.update(readFileSync(join(ROOT, 'package-lock.json')));
	return hash.digest('hex').slice(0, 16);
}

/**
 * Returns the folder of an embedded database migrated and loaded with the demo, building it
 * once (about a minute) and reusing it while migrations and generator are unchanged.
 * Callers copy it; they never open it in place.
 */
export async function seededPgliteDir(): Promise<string> {
	const dir = join(CACHE, `seeded-${fingerprint()}`);
	if (existsSync(join(dir, 'PG_VERSION'))) return dir;
	mkdirSync(CACHE, { recursive: true });
	for (const old of readdirSync(CACHE))
		if (old.startsWith('seeded-')) rmSync(join(CACHE, old), { recursive: true, force: true });
	const building = `${dir}.building-${process.pid}`;
	const db = await openPglite(building);
	await migrate(db);
	await loadDemo(db, TEST_SECRET);
	await db.close();
	renameSync(building, dir);
	return dir;
}

/** A private copy of the seeded database for one test run or server. */
export async function copySeededPglite(name: string): Promise<string> {
	const source = await seededPgliteDir();
	const target = join(CACHE, `run-${name}-${process.pid}`);
	rmSync(target, { recursive: true, force: true });
	cpSync(source, target, { recursive: true });
	return target;
}
