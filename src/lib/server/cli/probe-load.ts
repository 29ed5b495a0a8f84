import { openPglite } from '../db/pglite';
import { migrate } from '../db/migrate';
import { loadDemo } from '../demo/load';
export async function main(args: string[]) {
	let t = Date.now();
	const db = await openPglite(args[0]);
	console.log('open', Date.now() - t); t = Date.now();
	console.log('migrate', await migrate(db), Date.now() - t); t = Date.now();
	const r = await loadDemo(db);
	console.log('load', r);
	await db.close();
}
