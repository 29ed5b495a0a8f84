import type { SessionUser } from '$lib/features/auth/server/sessions.server';
import type { AccessScope } from '$lib/server/db/scope';
import type { WallAccess } from '$lib/features/auth/server/wall.server';

declare global {
	/**
	 * True only in a build (or dev server) started with GRIDWATCH_TEST_HOOKS=1, as the test tiers'
	 * build is: the page then hands the map, deck's overlay and the wall's controls to `window` for
	 * the tests; otherwise that code is left out of the build.
	 */
	const __TEST_HOOKS__: boolean;
	namespace App {
		interface Error {
			message: string;
			code?: string;
			id?: string;
			/** The body field a 400 is about (`idNumber`), for a form to point at. */
			field?: string;
		}
		interface Locals {
			/** This request's id: the x-request-id header of the answer and of every log line about it. */
			requestId: string;
			/** Set by handleError when the database could not be reached: the answer becomes a 503. */
			databaseDown?: boolean;
			lang: 'zh-CN' | 'en';
			user: SessionUser | null;
			scope: AccessScope | null;
			/** Set for wall screens signed in by token: aggregates only, with small-count suppression. */
			wall: WallAccess | null;
		}
	}
}

export {};
