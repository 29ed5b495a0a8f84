import { Client } from '../support/http';
import { idCheckCharacter } from '../../src/lib/features/capture/model/id-number';

/** The phone the capture tests use: 375 px wide, touch. */
export const PHONE = {
	viewport: { width: 375, height: 667 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};
/** A registration writes, refreshes the grid's figures and gaps: seconds on a busy 2-core machine. */
export const SLOW = { timeout: 20_000 };

/** A well-formed ID number no demo person has (region 110105), distinct per call and, very likely, per run. */
let sequence = Math.floor(Math.random() * 3_000_000);
export function newIdNumber(): string {
	sequence = (sequence + 1) % 3_360_000;
	const year = 1980 + (sequence % 10);
	const month = 1 + (Math.floor(sequence / 10) % 12);
	const day = 1 + (Math.floor(sequence / 120) % 28);
	const serial = Math.floor(sequence / 3360) % 1000;
	const first17 = `110105${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
	return first17 + idCheckCharacter(first17);
}

export const json = (
	client: Client,
	path: string,
	body: unknown,
	headers: Record<string, string> = {}
) =>
	client.request(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: client.baseUrl, ...headers },
		body: JSON.stringify(body)
	});
