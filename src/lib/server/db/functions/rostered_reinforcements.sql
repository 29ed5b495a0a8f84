-- Reinforcements rostered by applied plans and not (yet) checked in, from `p_now` on: what later
-- plans already have on the way (a running shift's gap counts only who has checked in, and grid
-- work leaves its backlog until it is done).
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.rostered_reinforcements(p_subdistrict integer, p_now timestamp with time zone)
RETURNS TABLE(grid_code text, checkpoint_code text, duty text, starts_at timestamp with time zone, n integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT g.code, c.code, s.duty, s.starts_at, count(*)::int
	FROM shift s JOIN grid g ON g.id = s.grid_id LEFT JOIN checkpoint c ON c.id = s.checkpoint_id
	WHERE s.subdistrict_id = p_subdistrict AND s.plan_id IS NOT NULL AND NOT s.checked_in AND s.ends_at > p_now
	GROUP BY g.code, c.code, s.duty, s.starts_at;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION rostered_reinforcements(p_subdistrict integer, p_now timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rostered_reinforcements(p_subdistrict integer, p_now timestamp with time zone) TO gridwatch_app;
