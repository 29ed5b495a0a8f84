import type { SessionUser } from '$lib/server/auth/sessions';
import type { AccessScope } from '$lib/server/db/scope';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
			id?: string;
		}
		interface Locals {
			lang: 'zh-CN' | 'en';
			user: SessionUser | null;
			scope: AccessScope | null;
		}
	}
}

export {};
