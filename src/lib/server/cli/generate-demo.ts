/**
 * Writes the generated demo as JSON (for inspection and diffing) and prints its SHA-256.
 * Usage: npm run demo:generate [-- path]   (default data/demo.json)
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { generateDemo } from '../demo/generate';

export async function main(args: string[]): Promise<number> {
	const path = args[0] ?? 'data/demo.json';
	const text = JSON.stringify(generateDemo());
	writeFileSync(path, text);
	console.log(
		`${path}: ${(text.length / 1e6).toFixed(1)} MB, sha256 ${createHash('sha256').update(text).digest('hex')}`
	);
	return 0;
}
