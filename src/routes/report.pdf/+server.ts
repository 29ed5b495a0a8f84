import { error, json } from '@sveltejs/kit';
import { reportForRequest } from '$lib/server/report/request';
import { chromiumPath, htmlToPdf, PdfBusy } from '$lib/server/report/pdf';
import type { RequestHandler } from './$types';
import { say } from '$lib/server/say';

const RETRY_SECONDS = 10;
const escapeAttribute = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** GET /report.pdf?date=&lang= → the daily report as PDF, printed by the server's Chromium. */
export const GET: RequestHandler = async ({ url, locals, request }) => {
	const { html, date } = await reportForRequest(url, locals);
	if (!chromiumPath()) {
		error(503, {
			message: say(
				'服务器未安装 Chromium，无法生成 PDF；请在浏览器中打开日报并打印',
				'No Chromium on the server: open the report and print it from the browser'
			),
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
			const message = say(
				'服务器正在生成其他 PDF，请几秒后再试',
				'The server is printing other PDFs: try again in a few seconds'
			);
			const headers = { 'retry-after': String(RETRY_SECONDS) };
			if (!(request.headers.get('accept') ?? '').includes('text/html'))
				return json({ message, code: 'busy' }, { status: 429, headers });
			// A person followed the PDF link: a page in words that tries again by itself, not raw JSON.
			const again = escapeAttribute(url.pathname + url.search);
			const back = escapeAttribute(`/report${url.search}`);
			return new Response(
				`<!doctype html><html lang="${say('zh-CN', 'en')}"><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_SECONDS}"><meta name="viewport" content="width=device-width"><title>${say('请稍候', 'Please wait')}</title>` +
					`<body style="font: 16px/1.6 sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em"><p>${message}${say(`；${RETRY_SECONDS} 秒后自动重试。`, ` (trying again in ${RETRY_SECONDS} s).`)}</p>` +
					`<p><a href="${again}">${say('立即重试', 'Try again now')}</a> · <a href="${back}">${say('返回日报', 'Back to the report')}</a></p></body></html>`,
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
			message: say(`PDF 生成失败`, `Could not make the PDF: ${(e as Error).message}`),
			code: 'pdf_failed'
		});
	}
};
