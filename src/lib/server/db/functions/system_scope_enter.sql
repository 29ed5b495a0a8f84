-- Aggregates are read from person-level rows under a system scope of one subdistrict ('all'), so
-- every role sees the same counts and none sees a row. Enter returns the caller's scope token for
-- system_scope_leave to restore; only SECURITY DEFINER functions (owner) may call either.
-- Until issue 17 migrations defined it, last 0006_map_layers.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.system_scope_enter(p_subdistrict integer)
RETURNS text
LANGUAGE plpgsql
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous_token text := current_setting('gridwatch.scope_token', true);
	system_token text := 'system-' || gen_random_uuid()::text;
BEGIN
	INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES (system_token, p_subdistrict, 'all');
	PERFORM set_config('gridwatch.scope_token', system_token, true);
	RETURN coalesce(previous_token, '');
END
$function$;
REVOKE EXECUTE ON FUNCTION system_scope_enter(p_subdistrict integer) FROM PUBLIC;
