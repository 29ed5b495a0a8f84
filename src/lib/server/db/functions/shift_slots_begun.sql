-- How many of a day's shift slots (06:00, 14:00, 22:00 Beijing time; see the demo generator and
-- domain/gaps.ts SHIFT_SLOTS) have begun at p_at: 0 before 06:00, 3 from 22:00 on and on later days.
-- Until issue 17 migrations defined it, last 0014_distinct_staff_and_begun_shifts.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.shift_slots_begun(p_day date, p_at timestamp with time zone)
RETURNS integer
LANGUAGE sql
STABLE
AS $function$
	SELECT count(*)::int FROM generate_series(0, 2) AS k
	WHERE ((p_day + make_interval(hours => 6 + 8 * k)) AT TIME ZONE 'Asia/Shanghai') <= p_at
$function$;
