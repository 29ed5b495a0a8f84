-- Rebuilds the rollup (grid_day, community_day, subdistrict_day) for one subdistrict over
-- [p_from, p_to], then tells listeners (NOTIFY gridwatch_changes, naming p_grids when given).
-- p_grids: the grids a write touched (up to 500): only their rows are rebuilt, unless a day was last
-- built with other shifts begun. p_now: the application's clock (src/lib/server/clock.ts); without
-- it, the database's. Runs under a system scope of its subdistrict, restored on return, so the app's
-- role may call it after a write without widening its own scope; a per-subdistrict lock makes two
-- writes at once wait for each other.
-- Until issue 17 migrations defined it, last 0016_refresh_own_grids.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.refresh_grid_day(p_subdistrict integer, p_from date, p_to date, p_grids text[] DEFAULT NULL::text[], p_now timestamp with time zone DEFAULT now())
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text;
	inserted int;
	grid_ids int[];
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.grid_day'), p_subdistrict);
	previous := system_scope_enter(p_subdistrict);
	-- Named grids (a write's own, up to 500): only their rows are rebuilt; the levels above are recounted whole.
	-- Not when a day was last built with other shifts begun (or not built): then every grid's staffing is due.
	IF p_grids IS NOT NULL AND cardinality(p_grids) <= 500 AND NOT EXISTS (
		SELECT 1 FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') AS d
		LEFT JOIN subdistrict_day sd ON sd.subdistrict_id = p_subdistrict AND sd.day = d::date
		WHERE sd.day IS NULL OR shift_slots_begun(d::date, sd.as_of) <> shift_slots_begun(d::date, p_now)
	) THEN
		SELECT array_agg(id) INTO grid_ids FROM grid WHERE subdistrict_id = p_subdistrict AND code = ANY (p_grids);
	END IF;
	inserted := refresh_grid_day_rows(p_subdistrict, p_from, p_to, p_now, grid_ids);
	PERFORM system_scope_leave(previous);
	PERFORM pg_notify('gridwatch_changes', (
		jsonb_build_object('subdistrict', p_subdistrict, 'from', p_from, 'to', p_to)
		|| CASE WHEN p_grids IS NULL OR cardinality(p_grids) > 500 THEN '{}'::jsonb ELSE jsonb_build_object('grids', to_jsonb(p_grids)) END
	)::text);
	RETURN inserted;
END
$function$;
REVOKE EXECUTE ON FUNCTION refresh_grid_day(p_subdistrict integer, p_from date, p_to date, p_grids text[], p_now timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_grid_day(p_subdistrict integer, p_from date, p_to date, p_grids text[], p_now timestamp with time zone) TO gridwatch_app;
