import { ROLE_LABELS } from '$lib/features/auth/model/roles';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user
		? {
				username: locals.user.username,
				displayName: locals.user.displayName,
				role: locals.user.role,
				roleLabel: ROLE_LABELS[locals.user.role][locals.lang]
			}
		: null
});
