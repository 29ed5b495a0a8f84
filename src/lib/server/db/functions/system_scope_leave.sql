-- Restores the scope system_scope_enter replaced (see there).
-- Until issue 17 migrations defined it, last 0006_map_layers.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.system_scope_leave(p_previous text)
RETURNS void
LANGUAGE plpgsql
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
	DELETE FROM request_scope WHERE token = current_setting('gridwatch.scope_token', true) AND token LIKE 'system-%';
	PERFORM set_config('gridwatch.scope_token', p_previous, true);
END
$function$;
REVOKE EXECUTE ON FUNCTION system_scope_leave(p_previous text) FROM PUBLIC;
