import { describe, expect, it } from 'vitest';
import { unexplainedChanges, type AcceptedWrite } from '../reliability/attribution';

const before = { wall_token: '3/1', audit_writes: '15', screening: '100' };

describe('the fuzzing’s "nothing written by a refused request" check', () => {
	it('passes when nothing changed', () => {
		expect(unexplainedChanges(before, { ...before }, [])).toEqual({ changed: [], unexplained: [] });
	});

	it('explains a new wall link by an administrator’s accepted create', () => {
		const after = { ...before, wall_token: '4/2', audit_writes: '16' };
		const accepted: AcceptedWrite[] = [
			{ identity: 'demo-admin', method: 'POST', path: '/admin/wall?/create&x=1', status: 303 }
		];
		expect(unexplainedChanges(before, after, accepted)).toEqual({
			changed: ['wall_token', 'audit_writes'],
			unexplained: []
		});
	});

	it('does not let an anonymous or wall-link answer below 400 explain a write', () => {
		const after = { ...before, wall_token: '4/2' };
		const accepted: AcceptedWrite[] = [
			{ identity: 'anonymous', method: 'POST', path: '/admin/wall?/create', status: 303 },
			{ identity: 'wall', method: 'POST', path: '/admin/wall?/create', status: 303 }
		];
		expect(unexplainedChanges(before, after, accepted).unexplained).toEqual(['wall_token']);
	});

	it('does not let a write to another route explain a change', () => {
		const after = { ...before, screening: '101' };
		const accepted: AcceptedWrite[] = [
			{ identity: 'demo-admin', method: 'POST', path: '/admin/wall?/create', status: 303 }
		];
		expect(unexplainedChanges(before, after, accepted).unexplained).toEqual(['screening']);
	});

	it('fails a changed part the table of writers does not know', () => {
		expect(
			unexplainedChanges({ other: '1' }, { other: '2' }, [
				{ identity: 'demo-admin', method: 'POST', path: '/api/x', status: 200 }
			]).unexplained
		).toEqual(['other']);
	});
});
