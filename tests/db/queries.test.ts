import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { Db } from '../../src/lib/server/db/types';
import { migrate } from '../../src/lib/server/db/migrate';
import { withScope } from '../../src/lib/server/db/scope';
import { getAreaFeatures, getDataPeriod, getSummary } from '../../src/lib/server/queries/areas';
import { METRICS } from '../../src/lib/domain/metrics';
import { testDb } from './database';

describe('area queries', () => {
	let db: Db;
	beforeAll(async () => {
		db = await testDb();
	});

	it('reports the data period', async () => {
		expect(await getDataPeriod(db)).toEqual({ first: '2020-01-20', last: '2020-02-28' });
	});

	it('returns 99 grid features with geometry and figures, and 25 communities whose figures are their grids’ sums', async () => {
		const grids = await getAreaFeatures(db, 'grid', '2020-02-28');
		const communities = await getAreaFeatures(db, 'community', '2020-02-28');
		expect(grids).toHaveLength(99);
		expect(communities).toHaveLength(25);
		expect(grids[0].geometry).toMatchObject({ type: 'MultiPolygon' });
		for (const community of communities) {
			const members = grids.filter((g) => g.properties.communityCode === community.properties.code);
			expect(members.length).toBeGreaterThanOrEqual(2);
			for (const key of [
				'observedHouseholds',
				'returneesDue',
				'returneesScreened',
				'requiredShiftHours',
				'staffedShiftHours'
			] as const) {
				expect(community.properties[key], `${community.properties.code} ${key}`).toBe(
					members.reduce((s, g) => s + g.properties[key], 0)
				);
			}
		}
		const coverage = grids.map((g) => METRICS.screening_coverage.value(g.properties));
		expect(coverage.every((v) => v !== null && v >= 0 && v <= 1)).toBe(true);
		expect(Math.min(...(coverage as number[]))).toBeLessThan(0.8);
	});

	it('gives different figures on different days', async () => {
		const early = await getAreaFeatures(db, 'community', '2020-01-26');
		const late = await getAreaFeatures(db, 'community', '2020-02-28');
		const due = (features: typeof early) =>
			features.reduce((s, f) => s + f.properties.returneesDue, 0);
		expect(due(late)).toBeGreaterThan(due(early));
	});

	it('sums the subdistrict for a day, with the day before', async () => {
		const summary = await getSummary(db, '2020-02-28');
		expect(summary).not.toBeNull();
		expect(summary!.subdistrict.name).toBe('白杨街道');
		expect(summary!.communities).toBe(25);
		expect(summary!.grids).toBe(99);
		expect(summary!.figures.residentsRegistered).toBe(470_000);
		expect(summary!.figures.observedPersonsCum).toBeGreaterThanOrEqual(6_700);
		expect(summary!.previous).not.toBeNull();
		expect(summary!.previous!.returneesDue).toBeLessThanOrEqual(summary!.figures.returneesDue);
		expect(summary!.enterprises.total).toBe(3_611);
		expect(summary!.staffTotal).toBe(1_540);
		expect(await getSummary(db, '2021-01-01')).toBeNull();
	});

	it('gives the same summary to an aggregates-only role: counts of person-level rows come from the database', async () => {
		const [{ id }] = await db.query<{ id: number }>('SELECT id FROM subdistrict');
		const scoped = await withScope(
			db,
			{ subdistrictId: id, personScope: 'none', gridIds: [] },
			(tx) => getSummary(tx, '2020-02-28')
		);
		expect(scoped).toEqual(await getSummary(db, '2020-02-28'));
		expect(scoped!.staffTotal).toBe(1_540);
	});

	it('applies no migration twice', async () => {
		expect(await migrate(db)).toEqual([]);
		const rows = await db.query<{ version: string }>(
			'SELECT version FROM schema_migration ORDER BY version'
		);
		const files = readdirSync('src/lib/server/db/migrations')
			.filter((f) => f.endsWith('.sql'))
			.map((f) => f.replace(/\.sql$/, ''))
			.sort();
		expect(files.length).toBeGreaterThanOrEqual(6);
		expect(rows.map((r) => r.version)).toEqual(files);
	});
});
