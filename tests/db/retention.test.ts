import { describe, expect, it } from 'vitest';
import { runRetention } from '../../src/lib/server/retention';
import { inRolledBackTransaction } from './database';

describe('retention purge', () => {
	it('reports first, then purges only records past the retention period, and audits both', async () => {
		const result = await inRolledBackTransaction(async (tx) => {
			const [{ id: subdistrictId }] = await tx.query<{ id: number }>('SELECT id FROM subdistrict');
			// The audit log is append-only, so other tests' entries stay: this run's actor is unique.
			const actor = `retention-test-${process.pid}-${Date.now()}`;
			const options = { subdistrictId, days: 7, today: '2020-02-28', actor };
			const [before] = await tx.query<{ persons: number; active: number }>(
				`SELECT count(*)::int AS persons,
				        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM observation o WHERE o.person_id = p.id AND o.end_date > '2020-02-21'))::int AS active
				 FROM person p`
			);
			// A health check of an observation long over (its person is eligible): purged with them.
			const [old] = await tx.query<{ id: number; person: number; household: number }>(
				`SELECT o.id, o.person_id AS person, o.household_id AS household FROM observation o
				 WHERE NOT EXISTS (SELECT 1 FROM observation x WHERE x.person_id = o.person_id AND x.end_date > '2020-02-21')
				 ORDER BY o.id LIMIT 1`
			);
			await tx.query(
				`INSERT INTO health_check (subdistrict_id, household_id, observation_id, person_id, checked_at, temperature, symptoms)
				 VALUES ($1, $2, $3, $4, '2020-02-01T08:00:00+08:00', 36.6, '{}')`,
				[subdistrictId, old.household, old.id, old.person]
			);
			const dryRun = await runRetention(tx, { ...options, apply: false });
			const [afterDryRun] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM person');
			const applied = await runRetention(tx, { ...options, apply: true });
			const [after] = await tx.query<{ persons: number; active: number }>(
				`SELECT count(*)::int AS persons,
				        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM observation o WHERE o.person_id = p.id AND o.end_date > '2020-02-21'))::int AS active
				 FROM person p`
			);
			const again = await runRetention(tx, { ...options, apply: false });
			const [checksLeft] = await tx.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM health_check WHERE person_id = $1',
				[old.person]
			);
			const audit = await tx.query<{ action: string }>(
				'SELECT action FROM audit_log WHERE actor = $1 ORDER BY id',
				[actor]
			);
			return { before, dryRun, afterDryRun, applied, after, again, audit, checksLeft };
		});
		expect(result.dryRun.cutoff).toBe('2020-02-21');
		expect(result.dryRun.persons).toBeGreaterThan(1000);
		expect(result.afterDryRun.n).toBe(result.before.persons);
		expect(result.applied.persons).toBe(result.dryRun.persons);
		expect(result.after.persons).toBe(result.before.persons - result.dryRun.persons);
		expect(result.after.active).toBe(result.before.active);
		expect(result.again.persons).toBe(0);
		expect(result.dryRun.healthChecks).toBeGreaterThanOrEqual(1);
		expect(result.checksLeft.n).toBe(0);
		expect(result.audit.map((a) => a.action)).toEqual([
			'retention.dry_run',
			'retention.purge',
			'retention.dry_run'
		]);
	});
});
