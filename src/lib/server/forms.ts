/**
 * Reading the forms that the pages post (sign-in, the admin pages): a body that is not a form is a
 * 400 in words, not a server error, and ids are checked before they reach the database.
 */
import { error } from '@sveltejs/kit';
import { say } from './say';
import { isKitRefusal } from './http';

/** The posted form; a body that is not one (wrong content type, broken multipart) is refused with 400. */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (cause) {
		if (isKitRefusal(cause)) throw cause;
		error(400, { message: say().core_body_not_form(), code: 'bad_form' });
	}
}

/** A field as text (a file upload in its place reads as empty). */
export function formText(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** A row id from a hidden field: a positive whole number the database can hold, else null. */
export function formId(form: FormData, name: string): number | null {
	const raw = formText(form, name).trim();
	if (!/^\d{1,10}$/.test(raw)) return null;
	const id = Number(raw);
	return id >= 1 && id <= 2_147_483_647 ? id : null;
}
