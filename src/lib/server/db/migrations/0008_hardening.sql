-- Hardening after review:
-- 1. Functions that run with their owner's rights search pg_catalog and public before pg_temp, so a
--    session cannot shadow request_scope (or any table) with a temporary table of its own; and the
--    app's role may not create temporary tables at all.
-- 2. Rebuilding the rollup takes a per-subdistrict lock, so two writes at once wait for each other
--    instead of colliding on grid_day's key.
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	         WHERE n.nspname = 'public' AND (p.prosecdef OR p.proname IN ('system_scope_enter', 'system_scope_leave'))
	           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
	LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
	END LOOP;
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

CREATE OR REPLACE FUNCTION refresh_grid_day(p_subdistrict int, p_from date, p_to date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text;
	inserted int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.grid_day'), p_subdistrict);
	previous := system_scope_enter(p_subdistrict);
	inserted := refresh_grid_day_rows(p_subdistrict, p_from, p_to);
	PERFORM system_scope_leave(previous);
	PERFORM pg_notify('gridwatch_changes', json_build_object('subdistrict', p_subdistrict, 'from', p_from, 'to', p_to)::text);
	RETURN inserted;
END
$$;
