import { describe, expect, it } from 'vitest';
import { exportQuery, readSettings, writeSettings } from '../../src/lib/features/map/map-settings';
import { stepToPlace, stepUp } from '../../src/lib/features/map/drill';
import { countResumed, overlayNotes } from '../../src/lib/features/map/overlay-notes';
import type { ResumptionPoint } from '../../src/lib/map/layers';

const period = { first: '2020-01-20', last: '2020-02-28' };
const read = (query: string) => readSettings(new URLSearchParams(query), period);

describe('desk map settings in the address', () => {
	it('an empty address gives the defaults: the last day, grids, screening coverage', () => {
		expect(read('')).toEqual({
			metric: 'screening_coverage',
			level: 'grid',
			date: '2020-02-28',
			selectedCode: null,
			method: null,
			classCount: 5,
			normalisation: 'count',
			compare: 0,
			drill: '',
			layers: {
				checkpoints: false,
				shift: 'night',
				observed: false,
				enterprises: false,
				projects: false,
				gridLabels: false,
				extrude: false
			},
			view: null,
			tableOpen: false
		});
	});

	it('values out of range or of no known kind fall back, one by one', () => {
		const settings = read(
			'metric=nope&level=x&date=2019-12-31&n=12&compare=99&drill=12345&per=bogus&classes=?'
		);
		expect(settings.metric).toBe('screening_coverage');
		expect(settings.level).toBe('grid');
		expect(settings.date).toBe('2020-02-28');
		expect(settings.classCount).toBe(7);
		expect(settings.compare).toBe(30);
		expect(settings.drill).toBe('');
		expect(settings.normalisation).toBe('count');
		expect(settings.method).toBeNull();
	});

	it('what is written reads back the same, and other parameters are kept', () => {
		const settings = read(
			'metric=observed_households&level=community&date=2020-02-10&select=0301&n=4&compare=7&drill=330114002003&layers=k,g&shift=day&at=120.30607,30.30061,14.91,0.0,0&table=1'
		);
		const query = new URLSearchParams('lang=en');
		writeSettings(query, settings);
		expect(query.get('lang')).toBe('en');
		expect(readSettings(query, period)).toEqual(settings);
	});

	it('settings at their default are left out of the address', () => {
		const query = new URLSearchParams('per=households&compare=3&drill=0301&table=1');
		writeSettings(query, read(''));
		expect([...query.keys()]).toEqual(['metric', 'level', 'date', 'n']);
	});

	it('the export query names the table on show', () => {
		expect(exportQuery(read('drill=0301&compare=2'), true)).toBe(
			'metric=screening_coverage&level=grid&date=2020-02-28&n=5&lang=en&compare=2&drill=0301'
		);
	});
});

describe('drill-down steps', () => {
	it('back to the subdistrict keeps the area left selected where the level shows it', () => {
		expect(stepUp('330114002003', 'subdistrict', 'community', null)).toEqual({
			drill: '',
			selectedCode: '330114002003'
		});
		expect(stepUp('330114002003', 'subdistrict', 'grid', null)).toEqual({
			drill: '',
			selectedCode: null
		});
		expect(stepUp('0301', 'subdistrict', 'grid', '330114002003')).toEqual({
			drill: '',
			selectedCode: '0301'
		});
	});

	it('up from a grid to its community selects the grid; without a community there is no step', () => {
		expect(stepUp('0301', 'community', 'grid', '330114002003')).toEqual({
			drill: '330114002003',
			selectedCode: '0301'
		});
		expect(stepUp('0301', 'community', 'grid', null)).toBeNull();
	});

	it('a search hit opens the level that shows it', () => {
		const place = {
			name: '',
			nameEn: '',
			communityCode: '330114002003',
			bbox: [0, 0, 1, 1] as [number, number, number, number]
		};
		expect(
			stepToPlace({ ...place, kind: 'community', code: '330114002003', gridCode: null })
		).toEqual({ drill: '330114002003', selectedCode: null });
		expect(stepToPlace({ ...place, kind: 'grid', code: '0301', gridCode: '0301' })).toEqual({
			drill: '330114002003',
			selectedCode: '0301'
		});
		expect(stepToPlace({ ...place, kind: 'compound', code: 'C1', gridCode: '0302' })).toEqual({
			drill: '0302',
			selectedCode: 'C1'
		});
	});
});

describe('overlay notes of the exported image', () => {
	it('name each overlay on show with its counts', () => {
		const points = [{ resumed: true }, { resumed: false }, { resumed: true }] as ResumptionPoint[];
		const notes = overlayNotes({
			lang: 'en',
			unreported: 2,
			shift: 'night',
			statusCounts: null,
			hexagons: 0,
			hexagonKey: [],
			enterprises: countResumed(points),
			projects: null
		});
		expect(notes.map((n) => n.label)).toEqual([
			'No report for the day  2',
			'Enterprises resumed 2 / 3'
		]);
	});
});
