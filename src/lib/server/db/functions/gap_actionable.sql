-- Acting on an item (acknowledge, assign, resolve) needs a scope over people, not aggregates only.
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_actionable(p_subdistrict integer, p_community integer, p_grid integer)
RETURNS boolean
LANGUAGE sql
STABLE SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	SELECT gap_visible(p_subdistrict, p_community, p_grid) AND EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true) AND r.person_scope IN ('all', 'grids')
	)
$function$;
