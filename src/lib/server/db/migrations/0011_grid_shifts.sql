-- The people on duty in a grid, for its grid leader's arrivals list. Staff rows are scoped by the
-- staff member's own grid, but a checkpoint's shifts draw people from the whole community's pool:
-- read through row-level security, a grid leader would see only the few who belong to their grid.
-- This function checks the caller's scope for the grid (the shift's place), then lists its shifts
-- with the staff's masked names and codes only.
CREATE FUNCTION grid_shifts(p_subdistrict int, p_grid int, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (id int, checkpoint_name text, checkpoint_code text, duty text, staff_code text, staff_name text, plan_id int, starts_at timestamptz, ends_at timestamptz, checked_in boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
$$;
REVOKE EXECUTE ON FUNCTION grid_shifts(int, int, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_shifts(int, int, timestamptz, timestamptz) TO gridwatch_app;
