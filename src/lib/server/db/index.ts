import { readConfig, type Config } from '../config';
import { openDatabase } from './open';
import type { Db } from './types';
import { logLine } from '../log';

let config: Config | null = null;
let opening: Promise<Db> | null = null;

export function getConfig(): Config {
	config ??= readConfig();
	return config;
}

/** The app's one database client, opened (and migrated) on first use. */
export function getDb(): Promise<Db> {
	opening ??= openDatabase(getConfig(), (line) =>
		logLine(line.startsWith('Warning') ? 'warn' : 'info', line)
	).then((opened) => opened.db);
	return opening;
}
