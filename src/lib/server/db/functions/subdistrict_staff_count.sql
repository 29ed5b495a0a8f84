-- Counts of person-level rows are aggregates that every role may see (e.g. staff deployed, on the
-- summary and the wall): computed under a system scope, like the rollup.
-- Until issue 17 migrations defined it, last 0003_access.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.subdistrict_staff_count(p_subdistrict integer)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous_token text := current_setting('gridwatch.scope_token', true);
	system_token text := 'count-' || gen_random_uuid()::text;
	total int;
BEGIN
	INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES (system_token, p_subdistrict, 'all');
	PERFORM set_config('gridwatch.scope_token', system_token, true);
	SELECT count(*)::int INTO total FROM staff WHERE subdistrict_id = p_subdistrict;
	DELETE FROM request_scope WHERE token = system_token;
	PERFORM set_config('gridwatch.scope_token', coalesce(previous_token, ''), true);
	RETURN total;
END
$function$;
REVOKE EXECUTE ON FUNCTION subdistrict_staff_count(p_subdistrict integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION subdistrict_staff_count(p_subdistrict integer) TO gridwatch_app;
