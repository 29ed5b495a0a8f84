-- Who was on duty: one row per shift checked in and begun by p_now, dated by its start (Beijing
-- time), with the grid and community stored on the shift. Read under the caller's scope (the rollup's
-- system scope).
-- Until issue 17 migrations defined it, last 0014_distinct_staff_and_begun_shifts.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.duty_rows(p_subdistrict integer, p_from date, p_to date, p_now timestamp with time zone)
RETURNS TABLE(staff_id integer, grid_id integer, community_id integer, day date)
LANGUAGE sql
STABLE
AS $function$
	SELECT s.staff_id, s.grid_id, s.community_id, (s.starts_at AT TIME ZONE 'Asia/Shanghai')::date
	FROM shift s
	WHERE s.subdistrict_id = p_subdistrict AND s.checked_in AND s.starts_at <= p_now
	  AND s.starts_at >= (p_from::timestamp AT TIME ZONE 'Asia/Shanghai')
	  AND s.starts_at < ((p_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
$function$;
REVOKE EXECUTE ON FUNCTION duty_rows(p_subdistrict integer, p_from date, p_to date, p_now timestamp with time zone) FROM PUBLIC;
