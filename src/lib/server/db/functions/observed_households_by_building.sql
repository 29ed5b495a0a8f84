-- Households under observation on a day, per building. Callers bin these into hexagons or sum
-- them by compound; building counts themselves never leave the server.
-- Until issue 17 migrations defined it, last 0006_map_layers.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.observed_households_by_building(p_subdistrict integer, p_day date)
RETURNS TABLE(building_id integer, households integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT h.building_id, count(DISTINCT o.household_id)::int
	FROM observation o JOIN household h ON h.id = o.household_id
	WHERE o.subdistrict_id = p_subdistrict AND (o.status <> 'transferred' OR o.ended_at IS NOT NULL)
	  AND o.start_date <= p_day AND p_day < o.end_date AND h.building_id IS NOT NULL
	GROUP BY h.building_id;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION observed_households_by_building(p_subdistrict integer, p_day date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION observed_households_by_building(p_subdistrict integer, p_day date) TO gridwatch_app;
