-- Scenarios are seen and changed within the caller's subdistrict; the route decides which roles.
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.in_request_subdistrict(p_subdistrict integer)
RETURNS boolean
LANGUAGE sql
STABLE SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true) AND r.subdistrict_id = p_subdistrict
	)
$function$;
