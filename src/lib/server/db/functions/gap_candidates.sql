-- What the rules find now, without touching the queue (for tests and the benchmark).
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_candidates(p_subdistrict integer, p_grid integer, w jsonb)
RETURNS SETOF gap_candidate
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY SELECT * FROM gap_candidates_rows(p_subdistrict, p_grid, w);
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION gap_candidates(p_subdistrict integer, p_grid integer, w jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gap_candidates(p_subdistrict integer, p_grid integer, w jsonb) TO gridwatch_app;
