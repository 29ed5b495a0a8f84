import { error, json } from '@sveltejs/kit';
import { reportForRequest } from '$lib/features/report/server/request.server';
import { chromiumPath, htmlToPdf, PdfBusy } from '$lib/features/report/server/pdf.server';
import type { RequestHandler } from './$types';
import { currentLang, say } from '$lib/server/say';

const RETRY_SECONDS = 10;
const escapeAttribute = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** GET /report.pdf?date=&lang= → the daily report as PDF, printed by the server's Chromium. */
export const GET: RequestHandler = async ({ url, locals, request }) => {
	const { html, date } = await reportForRequest(url, locals);
	if (!chromiumPath()) {
		error(503, {
			message: say().report_pdf_no_chromium(),
			code: 'no_pdf'
		});
	}
	try {
		const pdf = await htmlToPdf(html);
		return new Response(new Blob([pdf as BlobPart]), {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="gridwatch-report-${date}.pdf"`
			}
		});
	} catch (e) {
		if (e instanceof PdfBusy) {
			const w = say();
			const message = w.report_pdf_busy();
			const headers = { 'retry-after': String(RETRY_SECONDS) };
			if (!(request.headers.get('accept') ?? '').includes('text/html'))
				return json({ message, code: 'busy' }, { status: 429, headers });
			// A person followed the PDF link: a page in words that tries again by itself, not raw JSON.
			const again = escapeAttribute(url.pathname + url.search);
			const back = escapeAttribute(`/report${url.search}`);
			return new Response(
				`<!doctype html><html lang="${currentLang()}"><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_SECONDS}"><meta name="viewport" content="width=device-width"><title>${w.report_pdf_wait_title()}</title>` +
					`<body style="font: 16px/1.6 sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em"><p>${w.report_pdf_busy_retry({ message, seconds: RETRY_SECONDS })}</p>` +
					`<p><a href="${again}">${w.report_pdf_try_again()}</a> · <a href="${back}">${w.report_pdf_back()}</a></p></body></html>`,
				{
					status: 429,
					headers: {
						...headers,
						'content-type': 'text/html; charset=utf-8',
						'content-security-policy':
							"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
					}
				}
			);
		}
		error(503, {
			message: say().report_pdf_failed({ error: (e as Error).message }),
			code: 'pdf_failed'
		});
	}
};
