-- No token, or an unknown one: no rows. An unset scope is no access, never everything.
-- Until issue 17 migrations defined it, last 0003_access.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.scope_allows(p_subdistrict integer, p_grid integer)
RETURNS boolean
LANGUAGE sql
STABLE SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true)
		  AND r.subdistrict_id = p_subdistrict
		  AND (r.person_scope = 'all' OR (r.person_scope = 'grids' AND p_grid = ANY (r.grid_ids)))
	)
$function$;
