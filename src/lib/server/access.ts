import { error } from '@sveltejs/kit';
import type { AccessScope } from './db/scope';
import { say } from './say';

/** The signed-in request's database scope (hooks.server.ts sets it; routes behind the guard always have one). */
export function requireScope(locals: App.Locals): AccessScope {
	if (!locals.scope) error(401, { message: say().core_sign_in_first(), code: 'unauthenticated' });
	return locals.scope;
}
