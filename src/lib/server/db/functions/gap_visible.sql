-- Who sees an item: gap items say what is wrong, not who, so leadership, planners and wall screens
-- (scope 'none') see them all, like the map's aggregates; a grid leader sees their grids' items
-- and a community-level item only when every grid of that community is theirs.
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_visible(p_subdistrict integer, p_community integer, p_grid integer)
RETURNS boolean
LANGUAGE sql
STABLE SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true)
		  AND r.subdistrict_id = p_subdistrict
		  AND (r.person_scope IN ('all', 'none')
		       OR (r.person_scope = 'grids' AND (
		             p_grid = ANY (r.grid_ids)
		             OR (p_grid IS NULL AND NOT EXISTS (SELECT 1 FROM grid g WHERE g.community_id = p_community AND NOT g.id = ANY (r.grid_ids))))))
	)
$function$;
