-- The newest gap event of a subdistrict (events are append-only): the version under which the
-- open-gap counts are cached. Read under a system scope: row-level security hides events otherwise.
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_events_version(p_subdistrict integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
	version bigint;
BEGIN
	SELECT coalesce(max(id), 0) INTO version FROM gap_event WHERE subdistrict_id = p_subdistrict;
	PERFORM system_scope_leave(previous);
	RETURN version;
END
$function$;
REVOKE EXECUTE ON FUNCTION gap_events_version(p_subdistrict integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gap_events_version(p_subdistrict integer) TO gridwatch_app;
