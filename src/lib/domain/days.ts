/** Calendar-day arithmetic on 'YYYY-MM-DD' strings (Asia/Shanghai days are plain dates here). */
export function shiftDay(day: string, days: number): string {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
