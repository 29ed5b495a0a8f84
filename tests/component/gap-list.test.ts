import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-svelte';
import type { ComponentProps } from 'svelte';
import GapList from '../../src/lib/features/gaps/ui/GapList.svelte';

type GapListProps = ComponentProps<typeof GapList>;
type Item = GapListProps['items'][number];

function gapItem(overrides: Partial<Item> & Pick<Item, 'id'>): Item {
	return {
		rule: 'returnee_unscreened',
		severity: 'high',
		status: 'open',
		count: 3,
		message: 'Grid 1203: 3 returnees not screened within 24 h',
		gridCode: '1203',
		communityCode: '330114002012',
		communityName: '东湾社区',
		subjectKey: '',
		openedAt: '2020-02-10T01:30:00.000Z',
		updatedAt: '2020-02-10T01:30:00.000Z',
		closedAt: null,
		acknowledgedAt: null,
		acknowledgedBy: null,
		assignedStaffId: null,
		assignedStaff: null,
		assignedAt: null,
		resolvedAt: null,
		resolvedBy: null,
		resolutionNote: null,
		detail: {},
		...overrides
	};
}

/** One item of each kind a grid leader's lists hold (one that closed itself is only listed as history). */
const ITEMS: Item[] = [
	gapItem({ id: 11, detail: { persons: [101, 102, 103] } }),
	gapItem({
		id: 12,
		rule: 'report_missing',
		severity: 'medium',
		status: 'acknowledged',
		message: 'East Bay community has not reported for 2020-02-10',
		gridCode: null,
		assignedStaff: 'Li Wei'
	}),
	gapItem({ id: 13, rule: 'observation_ending', severity: 'info', message: 'Observation ends' }),
	gapItem({
		id: 14,
		status: 'resolved',
		resolvedAt: '2020-02-11T08:05:00.000Z',
		resolvedBy: 'Zhang San',
		resolutionNote: 'Screened at the door'
	})
];
const CLOSED = gapItem({ id: 15, closedAt: '2020-02-12T00:00:00.000Z' });

interface Request {
	method: string;
	url: string;
	body: unknown;
}

/**
 * Stands in for the server's gap API (the network is the boundary here; the e2e tier runs the real
 * one): each request is recorded, and `answer` gives the response.
 */
function fakeApi(answer: (request: Request) => Response | Promise<Response>) {
	const requests: Request[] = [];
	vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
		const request = {
			method: init.method ?? 'GET',
			url: input,
			body: init.body ? JSON.parse(String(init.body)) : null
		};
		requests.push(request);
		return answer(request);
	});
	return requests;
}

function listProps(overrides: Partial<GapListProps> = {}): GapListProps {
	return {
		items: ITEMS,
		lang: 'en',
		canAct: true,
		seesPersons: false,
		day: '2020-02-10',
		onchanged: vi.fn(),
		...overrides
	};
}

const item = (screen: { container: HTMLElement }, id: number) =>
	screen.container.querySelector<HTMLElement>(`[data-gap-id="${id}"]`)!;

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('GapList', () => {
	it('says what each item is, how urgent, its state, and when it was found on Beijing time', async () => {
		const screen = await render(GapList, listProps());
		await expect.element(screen.getByTestId('gap-list')).toHaveAttribute('data-ready', 'true');
		expect(
			screen
				.getByTestId('gap-status')
				.elements()
				.map((status) => status.textContent)
		).toEqual(['Open', 'Acknowledged', 'Open', 'Resolved']);
		const first = item(screen, 11);
		expect(first.querySelector('.head')!.textContent).toMatch(
			/Urgent\s+Returnees not screened in time\s+Open/
		);
		expect(first.querySelector('.meta')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
			'Found 2/10 09:30'
		);
		expect(item(screen, 12).querySelector('.meta')!.textContent).toMatch(/Assigned to\s+Li Wei/);
		expect(item(screen, 14).textContent).toMatch(/Resolved\s+2\/11 16:05 Zhang San/);
		expect(item(screen, 14).textContent).toContain('“Screened at the door”');
	});

	it('offers only the actions that fit the item, and none to a reader or in the history', async () => {
		const actions = (root: HTMLElement, id: number) =>
			[...root.querySelectorAll(`[data-gap-id="${id}"] .actions > *`)].map((a) => a.textContent);
		const screen = await render(GapList, listProps());
		expect(actions(screen.container, 11)).toEqual([
			'Acknowledge',
			'Assign',
			'Resolve',
			'History',
			'Map'
		]);
		// A community's item has no grid and so no one to assign; acknowledged, it is not acknowledged again.
		expect(actions(screen.container, 12)).toEqual(['Resolve', 'History', 'Map']);
		expect(actions(screen.container, 13)).toEqual(['History', 'Map']);
		expect(actions(screen.container, 14)).toEqual(['Reopen', 'History', 'Map']);
		screen.unmount();
		const reader = await render(GapList, listProps({ canAct: false }));
		expect(actions(reader.container, 11)).toEqual(['History', 'Map']);
		reader.unmount();
		const history = await render(GapList, listProps({ items: [CLOSED], history: true }));
		await expect.element(history.getByTestId('gap-history')).toBeInTheDocument();
		await expect.element(history.getByTestId('gap-status')).toHaveTextContent('Closed by itself');
		expect(item(history, 15).textContent).toMatch(/Closed 2\/12 08:00/);
		expect(actions(history.container, 15)).toEqual(['History', 'Map']);
	});

	it("links a grid's item to the grid's own map and a community's to the desk map on the day", async () => {
		const screen = await render(GapList, listProps());
		const links = screen.getByRole('link', { name: 'Map' }).elements();
		expect(links[0]).toHaveAttribute('href', '/grid/1203#map');
		expect(links[1]).toHaveAttribute(
			'href',
			'/?metric=open_gaps&level=community&date=2020-02-10&select=330114002012'
		);
	});

	it('acknowledges an item, disabled while the request runs, then asks the page to reload', async () => {
		let release = () => {};
		const requests = fakeApi(
			() => new Promise((done) => (release = () => done(Response.json({ ok: true }))))
		);
		const props = listProps();
		const screen = await render(GapList, props);
		const acknowledge = screen.getByRole('button', { name: 'Acknowledge' });
		await acknowledge.click();
		await expect.element(acknowledge).toBeDisabled();
		expect(requests).toEqual([
			{ method: 'POST', url: '/api/gaps/11', body: { action: 'acknowledge' } }
		]);
		expect(props.onchanged).not.toHaveBeenCalled();
		release();
		await expect.element(acknowledge).toBeEnabled();
		expect(props.onchanged).toHaveBeenCalledOnce();
	});

	it('resolves an item only with a note saying what was done', async () => {
		const requests = fakeApi(() => Response.json({ ok: true }));
		const props = listProps();
		const screen = await render(GapList, props);
		const resolve = screen.getByTestId('gap-resolve').first();
		await resolve.click();
		await expect.element(resolve).toHaveAttribute('aria-expanded', 'true');
		const note = screen.getByRole('textbox', { name: 'What was done (required)' });
		const submit = screen.getByTestId('gap-resolve-submit');
		await expect.element(submit).toBeDisabled();
		await note.fill('   ');
		await expect.element(submit).toBeDisabled();
		await note.fill('Screened all three at home');
		await submit.click();
		await expect.element(note).not.toBeInTheDocument();
		expect(requests).toEqual([
			{
				method: 'POST',
				url: '/api/gaps/11',
				body: { action: 'resolve', note: 'Screened all three at home' }
			}
		]);
		expect(props.onchanged).toHaveBeenCalledOnce();
	});

	it("shows the server's refusal beside the item and keeps the note", async () => {
		fakeApi(() =>
			Response.json({ message: 'Someone else resolved this item a moment ago.' }, { status: 409 })
		);
		const props = listProps();
		const screen = await render(GapList, props);
		await screen.getByTestId('gap-resolve').first().click();
		const note = screen.getByTestId('gap-note');
		await note.fill('Done');
		await screen.getByTestId('gap-resolve-submit').click();
		const alert = screen.getByRole('alert');
		await expect.element(alert).toHaveTextContent('Someone else resolved this item a moment ago.');
		expect(alert.element().closest('[data-gap-id]')).toHaveAttribute('data-gap-id', '11');
		await expect.element(note).toHaveValue('Done');
		expect(props.onchanged).not.toHaveBeenCalled();
	});

	it("assigns a grid's item to one of the grid's staff, listed from the server", async () => {
		const requests = fakeApi(({ url }) =>
			url.startsWith('/api/staff')
				? Response.json({
						staff: [
							{ id: 7, name: 'Wang Fang', code: 'S012', kindLabel: 'Grid worker' },
							{ id: 9, name: 'Chen Jie', code: 'S020', kindLabel: 'Volunteer' }
						]
					})
				: Response.json({ ok: true })
		);
		const props = listProps();
		const screen = await render(GapList, props);
		await screen.getByRole('button', { name: 'Assign' }).click();
		const staff = screen.getByRole('combobox', { name: 'Assign to' });
		await expect
			.element(staff.getByRole('option', { name: 'Chen Jie（S020，Volunteer）' }))
			.toBeInTheDocument();
		const submit = screen.getByTestId('gap-assign-submit');
		await expect.element(submit).toBeDisabled();
		await staff.selectOptions('Chen Jie（S020，Volunteer）');
		await submit.click();
		await expect.element(staff).not.toBeInTheDocument();
		expect(requests).toEqual([
			{ method: 'GET', url: '/api/staff?grid=1203', body: null },
			{ method: 'POST', url: '/api/gaps/11', body: { action: 'assign', staffId: 9 } }
		]);
		expect(props.onchanged).toHaveBeenCalledOnce();
	});

	it('opens and closes the history of an item, each event with who did it', async () => {
		const requests = fakeApi(() =>
			Response.json({
				events: [
					{ at: '2020-02-10T01:30:00.000Z', action: 'opened', actor: null, note: null },
					{ at: '2020-02-10T02:00:00.000Z', action: 'assigned', actor: 'Li Wei', note: null },
					{
						at: '2020-02-11T08:05:00.000Z',
						action: 'resolved',
						actor: 'Zhang San',
						note: 'Screened at the door'
					}
				]
			})
		);
		const screen = await render(GapList, listProps());
		const toggle = screen.getByTestId('gap-history-toggle').nth(3);
		await toggle.click();
		const events = screen.getByTestId('gap-events').getByRole('listitem');
		await expect.element(events.nth(2)).toBeInTheDocument();
		expect(events.elements().map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
			'2/10 09:30 found · system',
			'2/10 10:00 assigned · Li Wei',
			'2/11 16:05 resolved · Zhang San：Screened at the door'
		]);
		expect(requests).toEqual([{ method: 'GET', url: '/api/gaps/14', body: null }]);
		await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
		await toggle.click();
		await expect.element(screen.getByTestId('gap-events')).not.toBeInTheDocument();
	});

	it('lists the persons behind an item only to one who may see them', async () => {
		fakeApi(() =>
			Response.json({
				persons: [
					{
						id: 101,
						nameMasked: '王*',
						phoneMasked: '138****0001',
						householdCode: 'H0412',
						address: '明月苑1幢2单元101室',
						arrivalDate: '2020-02-08',
						origin: 'Wenzhou'
					}
				],
				households: []
			})
		);
		const hidden = await render(GapList, listProps());
		await expect.element(hidden.getByTestId('gap-records')).not.toBeInTheDocument();
		hidden.unmount();
		const screen = await render(GapList, listProps({ seesPersons: true }));
		await screen.getByRole('button', { name: 'Records' }).click();
		const records = screen.getByRole('region', { name: 'Records' });
		await expect
			.element(records)
			.toHaveTextContent('王*138****0001明月苑1幢2单元101室2020-02-08Wenzhou');
		// One who may act screens a returnee from the list: the form opens for that person.
		await screen.getByRole('button', { name: 'Screen' }).click();
		await expect
			.element(screen.getByTestId('screening-form'))
			.toHaveTextContent('Screening 王* · 明月苑1幢2单元101室');
	});

	it('says so when there is nothing to do, in the reader’s language', async () => {
		const empty = await render(GapList, listProps({ items: [], lang: 'zh-CN' }));
		await expect.element(empty.getByTestId('gap-empty')).toHaveTextContent('没有未处置的缺口。');
		empty.unmount();
		const history = await render(GapList, listProps({ items: [], history: true }));
		await expect.element(history.getByTestId('gap-empty')).toHaveTextContent('None');
	});
});
