import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { userEvent } from 'vitest/browser';
import type { ComponentProps } from 'svelte';
import TimeBar from '../../src/lib/features/map/ui/TimeBar.svelte';
import { parentState } from './props.svelte';

type TimeBarProps = ComponentProps<typeof TimeBar>;

/** The demo's data period, January 20 to February 28 2020 (40 days), on the page's first day. */
function timeBarProps(overrides: Partial<TimeBarProps> = {}): TimeBarProps {
	return parentState({
		lang: 'en',
		period: { first: '2020-01-20', last: '2020-02-28' },
		date: '2020-02-10',
		compare: 0,
		busy: false,
		...overrides
	} as TimeBarProps);
}

afterEach(() => {
	vi.useRealTimers();
});

describe('TimeBar', () => {
	it('steps a day back and forward, and stops at the ends of the data period', async () => {
		const props = timeBarProps({ date: '2020-01-21' });
		const screen = await render(TimeBar, props);
		const previous = screen.getByRole('button', { name: 'Previous day' });
		const next = screen.getByRole('button', { name: 'Next day' });
		await previous.click();
		expect(props.date).toBe('2020-01-20');
		await expect.element(previous).toBeDisabled();
		await expect.element(screen.getByTestId('date')).toHaveValue('2020-01-20');
		await next.click();
		expect(props.date).toBe('2020-01-21');
		props.date = '2020-02-28';
		await expect.element(next).toBeDisabled();
		await expect.element(previous).toBeEnabled();
	});

	it('moves through the days with the slider, by keyboard, across a month end', async () => {
		const props = timeBarProps({ date: '2020-01-31' });
		const screen = await render(TimeBar, props);
		const slider = screen.getByRole('slider', { name: 'Date' });
		// Day 11 of 0–39, read out as the date.
		await expect.element(slider).toHaveValue('11');
		await expect.element(slider).toHaveAttribute('max', '39');
		await expect.element(slider).toHaveAttribute('aria-valuetext', '2020-01-31');
		// Tab past play and the previous day to the slider, as a keyboard user does.
		await userEvent.tab();
		await userEvent.tab();
		await userEvent.tab();
		await expect.element(slider).toHaveFocus();
		await userEvent.keyboard('{ArrowRight}');
		expect(props.date).toBe('2020-02-01');
		await expect.element(slider).toHaveAttribute('aria-valuetext', '2020-02-01');
		await userEvent.keyboard('{End}');
		expect(props.date).toBe('2020-02-28');
		await userEvent.keyboard('{Home}');
		expect(props.date).toBe('2020-01-20');
	});

	it('takes a typed date inside the period, and puts back one outside it', async () => {
		const props = timeBarProps();
		const screen = await render(TimeBar, props);
		const field = screen.getByTestId('date');
		await field.fill('2020-02-15');
		expect(props.date).toBe('2020-02-15');
		await expect.element(screen.getByRole('slider')).toHaveValue('26');
		await field.fill('2020-03-05');
		expect(props.date).toBe('2020-02-15');
		await expect.element(field).toHaveValue('2020-02-15');
	});

	it('turns the change map on at 7 days, takes 1 to 30 days, and remembers the days when turned off', async () => {
		const props = timeBarProps();
		const screen = await render(TimeBar, props);
		const days = screen.getByRole('spinbutton', { name: 'days ago' });
		await expect.element(days).toBeDisabled();
		await expect.element(days).toHaveValue(7);
		await screen.getByRole('checkbox', { name: 'Change vs.' }).click();
		expect(props.compare).toBe(7);
		await expect.element(days).toBeEnabled();
		await days.fill('5');
		await userEvent.tab();
		expect(props.compare).toBe(5);
		await days.fill('90');
		await userEvent.tab();
		expect(props.compare).toBe(30);
		await expect.element(days).toHaveValue(30);
		await days.fill('-3');
		await userEvent.tab();
		expect(props.compare).toBe(1);
		// A cleared field goes back to the default week.
		await days.clear();
		await userEvent.tab();
		expect(props.compare).toBe(7);
		await days.fill('12');
		await userEvent.tab();
		await screen.getByRole('checkbox', { name: 'Change vs.' }).click();
		expect(props.compare).toBe(0);
		await expect.element(days).toHaveValue(12);
		await screen.getByRole('checkbox', { name: 'Change vs.' }).click();
		expect(props.compare).toBe(12);
	});

	it('plays one day each 1.5 s, waits while the map is drawing, and pauses on request', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const props = timeBarProps({ date: '2020-02-26' });
		const screen = await render(TimeBar, props);
		const play = screen.getByTestId('play');
		await expect.element(play).toHaveAccessibleName('Play through the days');
		await play.click();
		await expect.element(play).toHaveAttribute('aria-pressed', 'true');
		await expect.element(play).toHaveAccessibleName('Pause');
		vi.advanceTimersByTime(1499);
		expect(props.date).toBe('2020-02-26');
		vi.advanceTimersByTime(1);
		expect(props.date).toBe('2020-02-27');
		// The page marks the map busy until it has drawn the new day: play waits for it.
		props.busy = true;
		vi.advanceTimersByTime(4500);
		expect(props.date).toBe('2020-02-27');
		props.busy = false;
		vi.advanceTimersByTime(1500);
		expect(props.date).toBe('2020-02-28');
		// At the last day it stops by itself.
		vi.advanceTimersByTime(1500);
		await expect.element(play).toHaveAttribute('aria-pressed', 'false');
		expect(props.date).toBe('2020-02-28');
		// Play from the last day starts again at the first; pause holds the day.
		await play.click();
		expect(props.date).toBe('2020-01-20');
		vi.advanceTimersByTime(1500);
		expect(props.date).toBe('2020-01-21');
		await play.click();
		await expect.element(play).toHaveAttribute('aria-pressed', 'false');
		vi.advanceTimersByTime(6000);
		expect(props.date).toBe('2020-01-21');
	});

	it('stops its timer when it leaves the page', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const props = timeBarProps();
		const screen = await render(TimeBar, props);
		await screen.getByTestId('play').click();
		screen.unmount();
		vi.advanceTimersByTime(6000);
		expect(props.date).toBe('2020-02-10');
	});
});
