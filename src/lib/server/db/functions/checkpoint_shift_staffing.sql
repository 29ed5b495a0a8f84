-- Checkpoint staffing counts gate duty only.
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.checkpoint_shift_staffing(p_subdistrict integer, p_day date, p_slot integer)
RETURNS TABLE(checkpoint_id integer, assigned integer, present integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT s.checkpoint_id, count(*)::int, (count(*) FILTER (WHERE s.checked_in))::int
	FROM shift s
	WHERE s.subdistrict_id = p_subdistrict AND s.checkpoint_id IS NOT NULL
	  AND s.starts_at = ((p_day + make_interval(hours => 6 + 8 * p_slot))::timestamp AT TIME ZONE 'Asia/Shanghai')
	GROUP BY s.checkpoint_id;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION checkpoint_shift_staffing(p_subdistrict integer, p_day date, p_slot integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION checkpoint_shift_staffing(p_subdistrict integer, p_day date, p_slot integer) TO gridwatch_app;
