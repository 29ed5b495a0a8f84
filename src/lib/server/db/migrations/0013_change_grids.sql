-- A change notification names the grids a write touched when the writer knows them (a screening of
-- a person in a grid, an arrival at a grid's post, the rules run for one grid), so a grid leader's
-- page reloads for its own grid's writes only, not for every write in the subdistrict. Without
-- `grids` (or with more than 500, kept out of the 8000-byte payload) a change may touch any grid,
-- as before.
DROP FUNCTION refresh_grid_day(int, date, date);
CREATE FUNCTION refresh_grid_day(p_subdistrict int, p_from date, p_to date, p_grids text[] DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text;
	inserted int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.grid_day'), p_subdistrict);
	previous := system_scope_enter(p_subdistrict);
	inserted := refresh_grid_day_rows(p_subdistrict, p_from, p_to);
	PERFORM system_scope_leave(previous);
	PERFORM pg_notify('gridwatch_changes', (
		jsonb_build_object('subdistrict', p_subdistrict, 'from', p_from, 'to', p_to)
		|| CASE WHEN p_grids IS NULL OR cardinality(p_grids) > 500 THEN '{}'::jsonb ELSE jsonb_build_object('grids', to_jsonb(p_grids)) END
	)::text);
	RETURN inserted;
END
$$;
REVOKE EXECUTE ON FUNCTION refresh_grid_day(int, date, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_grid_day(int, date, date, text[]) TO gridwatch_app;
