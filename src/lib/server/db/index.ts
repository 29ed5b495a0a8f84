import { readConfig } from '../config';
import { openDatabase } from './open';
import type { Db } from './types';

let opening: Promise<Db> | null = null;

/** The app's one database client, opened (and migrated) on first use. */
export function getDb(): Promise<Db> {
	opening ??= openDatabase(readConfig(), (line) => console.log(line)).then((opened) => opened.db);
	return opening;
}
