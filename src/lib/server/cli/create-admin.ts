/**
 * Creates the first administrator of a server deployment (there are no default passwords).
 * Usage: GRIDWATCH_ADMIN_PASSWORD='…' npm run user:create-admin -- <username> [display name]
 *    or: echo '…' | npm run user:create-admin -- <username>
 */
import { readConfig } from '../config';
import { openDatabase } from '../db/open';
import { createUser } from '../../features/auth/server/users.server';
import { passwordProblem } from '../../features/auth/server/password.server';
import { writeAudit } from '../audit';

async function readStdinLine(): Promise<string> {
	if (process.stdin.isTTY) {
		process.stdout.write('Password (10+ characters; typed text is visible): ');
	}
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk as Buffer);
		if (Buffer.concat(chunks).includes(10)) break;
	}
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

export async function main(args: string[]): Promise<number> {
	const [username, ...nameParts] = args;
	if (!username || !/^[a-z0-9_.-]{3,40}$/.test(username)) {
		console.error(
			'Give a username of 3–40 characters a–z 0–9 _ . - : npm run user:create-admin -- <username> [display name]'
		);
		return 2;
	}
	const password = process.env.GRIDWATCH_ADMIN_PASSWORD ?? (await readStdinLine());
	const problem = passwordProblem(password);
	if (problem) {
		console.error(problem);
		return 2;
	}
	const { db } = await openDatabase({
		...readConfig(),
		loadDemoOnFirstStart: false,
		demoMode: false
	});
	try {
		const [subdistrict] = await db.query<{ id: number }>(
			'SELECT id FROM subdistrict ORDER BY id LIMIT 1'
		);
		if (!subdistrict) {
			console.error(
				'No subdistrict in the database yet: load the boundaries (or the demo: npm run db:load-demo) first.'
			);
			return 1;
		}
		const [taken] = await db.query('SELECT 1 AS x FROM app_user WHERE username = $1', [username]);
		if (taken) {
			console.error(`User ${username} already exists.`);
			return 1;
		}
		await db.transaction(async (tx) => {
			const id = await createUser(tx, {
				subdistrictId: subdistrict.id,
				username,
				displayName: nameParts.join(' ') || username,
				role: 'admin',
				password,
				areaCodes: []
			});
			await writeAudit(tx, {
				subdistrictId: subdistrict.id,
				actorUserId: null,
				actor: 'cli:create-admin',
				action: 'user.create',
				targetKind: 'user',
				targetId: String(id),
				detail: { role: 'admin', username }
			});
		});
		console.log(`Administrator ${username} created. Sign in at /signin.`);
		return 0;
	} finally {
		await db.close();
	}
}
