-- Open gaps per grid and community at one moment, from the items' histories: an item counts when
-- its last opening/closing event by then opened it. The same counts for every role (aggregates).
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.open_gap_counts(p_subdistrict integer, p_at timestamp with time zone)
RETURNS TABLE(community_id integer, grid_id integer, open integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	WITH last_state AS (
		SELECT DISTINCT ON (e.gap_id) e.gap_id, e.action
		FROM gap_event e
		WHERE e.subdistrict_id = p_subdistrict AND e.at <= p_at AND e.action IN ('opened', 'reopened', 'resolved', 'closed')
		ORDER BY e.gap_id, e.at DESC, e.id DESC
	)
	SELECT i.community_id, i.grid_id, count(*)::int
	FROM last_state s JOIN gap_item i ON i.id = s.gap_id
	WHERE s.action IN ('opened', 'reopened') AND i.severity <> 'info'
	GROUP BY i.community_id, i.grid_id;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION open_gap_counts(p_subdistrict integer, p_at timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION open_gap_counts(p_subdistrict integer, p_at timestamp with time zone) TO gridwatch_app;
