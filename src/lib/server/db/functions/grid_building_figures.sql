-- Per-building figures inside one grid for one day, with the same definitions as grid_day
-- (returnees due by arrival, screened by first screening, observation start ≤ day < end).
-- Until issue 17 migrations defined it, last 0006_map_layers.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.grid_building_figures(p_subdistrict integer, p_grid integer, p_day date)
RETURNS TABLE(building_id integer, households integer, residents integer, observed_households integer, observed_persons integer, returnees_due integer, returnees_screened integer, persons_screened_cum integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	WITH hh AS (
		SELECT h.id, h.building_id, h.members FROM household h
		WHERE h.subdistrict_id = p_subdistrict AND h.grid_id = p_grid AND h.building_id IS NOT NULL
	),
	first_screening AS (
		SELECT s.person_id, min((s.screened_at AT TIME ZONE 'Asia/Shanghai')::date) AS day
		FROM screening s WHERE s.subdistrict_id = p_subdistrict AND s.grid_id = p_grid GROUP BY s.person_id
	),
	people AS (
		SELECT hh.building_id,
			count(*) FILTER (WHERE p.returnee AND p.arrival_date <= p_day) AS due,
			count(*) FILTER (WHERE p.returnee AND p.arrival_date <= p_day AND fs.day <= p_day) AS due_screened,
			count(*) FILTER (WHERE fs.day <= p_day) AS screened
		FROM person p JOIN hh ON hh.id = p.household_id LEFT JOIN first_screening fs ON fs.person_id = p.id
		GROUP BY hh.building_id
	),
	observed AS (
		SELECT hh.building_id, count(DISTINCT o.household_id) AS households, count(DISTINCT o.person_id) AS persons
		FROM observation o JOIN hh ON hh.id = o.household_id
		WHERE (o.status <> 'transferred' OR o.ended_at IS NOT NULL) AND o.start_date <= p_day AND p_day < o.end_date
		GROUP BY hh.building_id
	),
	buildings AS (
		SELECT hh.building_id, count(*) AS households, sum(hh.members) AS residents FROM hh GROUP BY hh.building_id
	)
	SELECT b.building_id, b.households::int, b.residents::int, coalesce(o.households, 0)::int, coalesce(o.persons, 0)::int,
		coalesce(p.due, 0)::int, coalesce(p.due_screened, 0)::int, coalesce(p.screened, 0)::int
	FROM buildings b
	LEFT JOIN people p ON p.building_id = b.building_id
	LEFT JOIN observed o ON o.building_id = b.building_id;
	PERFORM system_scope_leave(previous);
END
$function$;
REVOKE EXECUTE ON FUNCTION grid_building_figures(p_subdistrict integer, p_grid integer, p_day date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_building_figures(p_subdistrict integer, p_grid integer, p_day date) TO gridwatch_app;
