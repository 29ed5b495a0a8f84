import { LOG_LEVELS, type LogLevel } from './config';
import { getConfig } from './db';

/**
 * Structured logs: one JSON object per line on stdout (systemd's journal, `docker logs`, or any
 * collector reads them; `jq` filters them). Fields are ids, codes and numbers — a user's numeric id
 * and role, a route's id (`/api/gaps/[id]`, not the path with its values), never a name, phone,
 * address or query string: person-level values stay in the database and the audit log.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const RANK: Record<LogLevel, number> = Object.fromEntries(
	LOG_LEVELS.map((level, i) => [level, i])
) as Record<LogLevel, number>;

export function logLine(
	level: Exclude<LogLevel, 'silent'>,
	msg: string,
	fields: LogFields = {}
): void {
	if (RANK[level] < RANK[getConfig().logLevel]) return;
	process.stdout.write(
		`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`
	);
}

/**
 * An error's message with the values it may quote taken out: the database quotes the input it refused
 * (`invalid input syntax for type integer: "张三"`, `Key (phone)=(13800000000)`), and a name, phone or ID
 * number must not reach the log that way. Kept: a quoted name right after the word for what it names
 * (`constraint "x"`, `relation "y"`) and short numbers; removed: any other quoted text, key values in
 * parentheses, and runs of 6 or more digits.
 */
export function redactMessage(message: string): string {
	return message
		.replace(/(\b\w+\s+)?"([^"]*)"/g, (quoted, word: string | undefined, inner: string) =>
			word && OBJECT_WORDS.test(word.trim()) && /^[a-z_][a-z0-9_$]*$/.test(inner)
				? quoted
				: `${word ?? ''}"…"`
		)
		.replace(/\)=\(.*?\)( already exists| is not present| is still referenced|\.|$)/g, ')=(…)$1')
		.replace(/\d{6,}/g, '…');
}
/** The words after which the database quotes one of its own objects' names, not a value. */
const OBJECT_WORDS =
	/^(constraint|relation|column|table|index|type|function|schema|extension|role|database|sequence|view|trigger|policy|channel)$/i;

/** What an error may show in a log line: its kind and its message without quoted values (cut short), and where it was thrown. */
export function errorFields(cause: unknown): LogFields {
	if (!(cause instanceof Error)) return { error: redactMessage(String(cause)).slice(0, 300) };
	const code = (cause as { code?: unknown }).code;
	return {
		error: `${cause.name}: ${redactMessage(cause.message)}`.slice(0, 300),
		errorCode: typeof code === 'string' ? code : undefined,
		stack: cause.stack
			?.split('\n')
			.slice(1, 6)
			.map((line) => line.trim())
			.join(' | ')
	};
}
