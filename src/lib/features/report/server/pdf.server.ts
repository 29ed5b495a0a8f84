import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the server looks for a Chromium to print PDFs with (CHROMIUM_PATH, else Debian's). */
export function chromiumPath(): string | null {
	const candidates = [
		process.env.CHROMIUM_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser'
	].filter((p): p is string => !!p);
	return candidates.find((p) => existsSync(p)) ?? null;
}

let queue: Promise<unknown> = Promise.resolve();
/** Prints queued or running: each print is a Chromium, so a burst of requests may not queue without end. */
let pending = 0;
const MAX_PENDING = 2;
/** The last few PDFs by their page's hash: the same report asked for again is not printed again. */
const printed = new Map<string, Uint8Array>();
const KEEP_PRINTED = 8;

/** Refused because prints are already running and waiting: the caller says "try again shortly" (429). */
export class PdfBusy extends Error {
	constructor() {
		super('busy printing other PDFs');
	}
}

/**
 * Prints a self-contained HTML page to PDF with headless Chromium (A4, the page's own @page rules); one print at
 * a time, at most one waiting (more: PdfBusy at once), the same page answered from memory.
 */
export async function htmlToPdf(html: string, timeoutMs = 60_000): Promise<Uint8Array> {
	const key = createHash('sha256').update(html).digest('hex');
	const kept = printed.get(key);
	if (kept) return kept;
	if (pending >= MAX_PENDING) throw new PdfBusy();
	pending++;
	const run = queue.then(() => print(html, timeoutMs)).finally(() => pending--);
	queue = run.catch(() => undefined);
	const pdf = await run;
	printed.set(key, pdf);
	if (printed.size > KEEP_PRINTED) printed.delete(printed.keys().next().value!);
	return pdf;
}

async function print(html: string, timeoutMs: number): Promise<Uint8Array> {
	const chromium = chromiumPath();
	if (!chromium) throw new Error('no Chromium on the server');
	const dir = mkdtempSync(join(tmpdir(), 'gridwatch-pdf-'));
	try {
		const input = join(dir, 'report.html');
		const output = join(dir, 'report.pdf');
		writeFileSync(input, html);
		await new Promise<void>((resolve, reject) => {
			const child = spawn(
				chromium,
				[
					'--headless',
					'--no-sandbox',
					'--disable-gpu',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
					'--no-first-run',
					`--user-data-dir=${join(dir, 'profile')}`,
					'--no-pdf-header-footer',
					`--print-to-pdf=${output}`,
					`file://${input}`
				],
				{ stdio: ['ignore', 'ignore', 'pipe'] }
			);
			let stderr = '';
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error('Chromium took too long to print the PDF'));
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(new Error(`Chromium could not be started: ${error.message}`));
			});
			child.on('exit', (code) => {
				clearTimeout(timer);
				if (code === 0 && existsSync(output)) resolve();
				else
					reject(
						new Error(`Chromium could not print the PDF (exit ${code}): ${stderr.slice(-300)}`)
					);
			});
		});
		return new Uint8Array(readFileSync(join(dir, 'report.pdf')));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
