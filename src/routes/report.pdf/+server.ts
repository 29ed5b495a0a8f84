import { error } from '@sveltejs/kit';
import { reportForRequest } from '$lib/server/report/request';
import { chromiumPath, htmlToPdf } from '$lib/server/report/pdf';
import type { RequestHandler } from './$types';

/** GET /report.pdf?date=&lang= → the daily report as PDF, printed by the server's Chromium. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { html, date } = await reportForRequest(url, locals);
	if (!chromiumPath()) {
		error(503, { message: '服务器未安装 Chromium，无法生成 PDF；请在浏览器中打开日报并打印 / No Chromium on the server: open the report and print it from the browser', code: 'no_pdf' });
	}
	try {
		const pdf = await htmlToPdf(html);
		return new Response(new Blob([pdf as BlobPart]), {
			headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="gridwatch-report-${date}.pdf"` }
		});
	} catch (e) {
		error(503, { message: `PDF 生成失败 / Could not make the PDF: ${(e as Error).message}`, code: 'pdf_failed' });
	}
};
