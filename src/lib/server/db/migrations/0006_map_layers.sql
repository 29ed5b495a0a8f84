-- Aggregates for the map's layers and drill-down, read from person-level rows under a system
-- scope (like the rollup in 0003) so every role sees the same counts and none sees a row.
-- The scope switch lives in two helpers that only these SECURITY DEFINER functions can call.

CREATE FUNCTION system_scope_enter(p_subdistrict int) RETURNS text
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	previous_token text := current_setting('gridwatch.scope_token', true);
	system_token text := 'system-' || gen_random_uuid()::text;
BEGIN
	INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES (system_token, p_subdistrict, 'all');
	PERFORM set_config('gridwatch.scope_token', system_token, true);
	RETURN coalesce(previous_token, '');
END
$$;
REVOKE EXECUTE ON FUNCTION system_scope_enter(int) FROM PUBLIC;

CREATE FUNCTION system_scope_leave(p_previous text) RETURNS void
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	DELETE FROM request_scope WHERE token = current_setting('gridwatch.scope_token', true) AND token LIKE 'system-%';
	PERFORM set_config('gridwatch.scope_token', p_previous, true);
END
$$;
REVOKE EXECUTE ON FUNCTION system_scope_leave(text) FROM PUBLIC;

-- People assigned to and present at each checkpoint for one shift of one day.
-- Shifts start at 06:00 (slot 0, day), 14:00 (slot 1, evening) and 22:00 (slot 2, night), Beijing time.
CREATE FUNCTION checkpoint_shift_staffing(p_subdistrict int, p_day date, p_slot int)
RETURNS TABLE (checkpoint_id int, assigned int, present int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT s.checkpoint_id, count(*)::int, (count(*) FILTER (WHERE s.checked_in))::int
	FROM shift s
	WHERE s.subdistrict_id = p_subdistrict
	  AND s.starts_at = ((p_day + make_interval(hours => 6 + 8 * p_slot))::timestamp AT TIME ZONE 'Asia/Shanghai')
	GROUP BY s.checkpoint_id;
	PERFORM system_scope_leave(previous);
END
$$;
REVOKE EXECUTE ON FUNCTION checkpoint_shift_staffing(int, date, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION checkpoint_shift_staffing(int, date, int) TO gridwatch_app;

-- Households under observation on a day, per building. Callers bin these into hexagons or sum
-- them by compound; building counts themselves never leave the server.
CREATE FUNCTION observed_households_by_building(p_subdistrict int, p_day date)
RETURNS TABLE (building_id int, households int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT h.building_id, count(DISTINCT o.household_id)::int
	FROM observation o JOIN household h ON h.id = o.household_id
	WHERE o.subdistrict_id = p_subdistrict AND o.status <> 'transferred'
	  AND o.start_date <= p_day AND p_day < o.end_date AND h.building_id IS NOT NULL
	GROUP BY h.building_id;
	PERFORM system_scope_leave(previous);
END
$$;
REVOKE EXECUTE ON FUNCTION observed_households_by_building(int, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION observed_households_by_building(int, date) TO gridwatch_app;

-- Per-building figures inside one grid for one day, with the same definitions as grid_day
-- (returnees due by arrival, screened by first screening, observation start ≤ day < end).
CREATE FUNCTION grid_building_figures(p_subdistrict int, p_grid int, p_day date)
RETURNS TABLE (building_id int, households int, residents int, observed_households int, observed_persons int,
               returnees_due int, returnees_screened int, persons_screened_cum int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
		WHERE o.status <> 'transferred' AND o.start_date <= p_day AND p_day < o.end_date
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
$$;
REVOKE EXECUTE ON FUNCTION grid_building_figures(int, int, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_building_figures(int, int, date) TO gridwatch_app;
