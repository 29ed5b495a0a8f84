/** Calendar-day arithmetic on 'YYYY-MM-DD' strings (Asia/Shanghai days are plain dates here). */
export function shiftDay(day: string, days: number): string {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whether `raw` is a real calendar date written YYYY-MM-DD (2020-02-30 is not; nor is year 0, which PostgreSQL lacks). */
export function isCalendarDay(raw: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || raw < '0001-01-01') return false;
	const parsed = new Date(`${raw}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === raw;
}
