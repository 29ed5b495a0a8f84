-- The people on duty in a grid, for its grid leader's arrivals list. Staff rows are scoped by the
-- staff member's own grid, but a checkpoint's shifts draw people from the whole community's pool:
-- read through row-level security, a grid leader would see only the few who belong to their grid.
-- This function checks the caller's scope for the grid (the shift's place), then lists its shifts
-- with the staff's masked names and codes only.
-- Until issue 17 migrations defined it, last 0011_grid_shifts.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.grid_shifts(p_subdistrict integer, p_grid integer, p_from timestamp with time zone, p_to timestamp with time zone)
RETURNS TABLE(id integer, checkpoint_name text, checkpoint_code text, duty text, staff_code text, staff_name text, plan_id integer, starts_at timestamp with time zone, ends_at timestamp with time zone, checked_in boolean)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text;
BEGIN
	-- The caller's own scope, before the system scope replaces it.
	IF NOT scope_allows(p_subdistrict, p_grid) THEN
		RETURN;
	END IF;
	previous := system_scope_enter(p_subdistrict);
	RETURN QUERY
	SELECT s.id, c.name, c.code, s.duty, st.code, st.name_masked, s.plan_id, s.starts_at, s.ends_at, s.checked_in
	FROM shift s
	JOIN staff st ON st.id = s.staff_id
	LEFT JOIN checkpoint c ON c.id = s.checkpoint_id
	WHERE s.subdistrict_id = p_subdistrict AND s.grid_id = p_grid AND s.ends_at > p_from AND s.starts_at <= p_to
	ORDER BY s.starts_at, c.code NULLS LAST, s.duty, st.code;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION grid_shifts(p_subdistrict integer, p_grid integer, p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_shifts(p_subdistrict integer, p_grid integer, p_from timestamp with time zone, p_to timestamp with time zone) TO gridwatch_app;
