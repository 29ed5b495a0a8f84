-- Spatial work at write time: every point record gets its grid and community from a
-- spatial join (ST_Covers on the GiST-indexed grid polygons) when it is inserted or moved.
-- A point outside every grid keeps NULL, which the import flags as "outside the jurisdiction".
CREATE FUNCTION assign_area_by_point() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT g.id, g.community_id INTO NEW.grid_id, NEW.community_id
	FROM grid g
	WHERE g.subdistrict_id = NEW.subdistrict_id AND ST_Covers(g.geom, NEW.geom)
	ORDER BY g.id
	LIMIT 1;
	RETURN NEW;
END
$$;

CREATE TRIGGER building_assign_area BEFORE INSERT OR UPDATE OF geom ON building
	FOR EACH ROW EXECUTE FUNCTION assign_area_by_point();
CREATE TRIGGER household_assign_area BEFORE INSERT OR UPDATE OF geom ON household
	FOR EACH ROW EXECUTE FUNCTION assign_area_by_point();
CREATE TRIGGER checkpoint_assign_area BEFORE INSERT OR UPDATE OF geom ON checkpoint
	FOR EACH ROW EXECUTE FUNCTION assign_area_by_point();
CREATE TRIGGER enterprise_assign_area BEFORE INSERT OR UPDATE OF geom ON enterprise
	FOR EACH ROW EXECUTE FUNCTION assign_area_by_point();
CREATE TRIGGER project_assign_area BEFORE INSERT OR UPDATE OF geom ON project
	FOR EACH ROW EXECUTE FUNCTION assign_area_by_point();

-- Records without a location of their own inherit it from the household, person or checkpoint.
CREATE FUNCTION assign_area_from_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT h.grid_id, h.community_id INTO NEW.grid_id, NEW.community_id FROM household h WHERE h.id = NEW.household_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER person_assign_area BEFORE INSERT OR UPDATE OF household_id ON person
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_household();
CREATE TRIGGER observation_assign_area BEFORE INSERT OR UPDATE OF household_id ON observation
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_household();
CREATE TRIGGER service_task_assign_area BEFORE INSERT OR UPDATE OF household_id ON service_task
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_household();

CREATE FUNCTION assign_area_from_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT p.grid_id, p.community_id INTO NEW.grid_id, NEW.community_id FROM person p WHERE p.id = NEW.person_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER screening_assign_area BEFORE INSERT OR UPDATE OF person_id ON screening
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_person();

CREATE FUNCTION assign_area_from_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT c.grid_id, c.community_id INTO NEW.grid_id, NEW.community_id FROM checkpoint c WHERE c.id = NEW.checkpoint_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER shift_assign_area BEFORE INSERT OR UPDATE OF checkpoint_id ON shift
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_checkpoint();

-- Rebuilds grid_day for one subdistrict over [p_from, p_to] (Asia/Shanghai days).
-- Cumulative figures are running sums of per-day counts (a GROUP BY on stored keys),
-- so the cost grows with records + grids × days, not records × days.
CREATE FUNCTION refresh_grid_day(p_subdistrict int, p_from date, p_to date) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	inserted int;
BEGIN
	DELETE FROM grid_day WHERE subdistrict_id = p_subdistrict AND day BETWEEN p_from AND p_to;

	INSERT INTO grid_day
	WITH days AS (
		SELECT d::date AS day FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') AS d
	),
	cells AS (
		SELECT g.id AS grid_id, g.community_id, d.day FROM grid g CROSS JOIN days d WHERE g.subdistrict_id = p_subdistrict
	),
	households AS (
		SELECT grid_id, count(*)::int AS n, coalesce(sum(members), 0)::int AS residents
		FROM household WHERE subdistrict_id = p_subdistrict AND grid_id IS NOT NULL GROUP BY grid_id
	),
	observed AS (
		SELECT o.grid_id, d.day,
			count(DISTINCT o.household_id) FILTER (WHERE d.day < o.end_date)::int AS households,
			count(DISTINCT o.person_id) FILTER (WHERE d.day < o.end_date)::int AS persons,
			count(DISTINCT o.household_id)::int AS households_cum,
			count(DISTINCT o.person_id)::int AS persons_cum
		FROM observation o JOIN days d ON o.start_date <= d.day
		WHERE o.subdistrict_id = p_subdistrict AND o.status <> 'transferred'
		GROUP BY o.grid_id, d.day
	),
	first_screening AS (
		SELECT person_id, min((screened_at AT TIME ZONE 'Asia/Shanghai')::date) AS day
		FROM screening WHERE subdistrict_id = p_subdistrict GROUP BY person_id
	),
	people AS (
		SELECT p.grid_id, p.returnee, p.key_area, p.arrival_date, fs.day AS screened_day
		FROM person p LEFT JOIN first_screening fs ON fs.person_id = p.id
		WHERE p.subdistrict_id = p_subdistrict AND p.grid_id IS NOT NULL
	),
	-- Each event adds 1 to a running count from its day on.
	events AS (
		SELECT grid_id, arrival_date AS day, 'due' AS kind FROM people WHERE returnee
		UNION ALL SELECT grid_id, greatest(arrival_date, screened_day), 'returnee_screened' FROM people WHERE returnee AND screened_day IS NOT NULL
		UNION ALL SELECT grid_id, arrival_date + 1, 'due_before' FROM people WHERE returnee
		UNION ALL SELECT grid_id, greatest(arrival_date + 1, screened_day), 'due_before_screened' FROM people WHERE returnee AND screened_day IS NOT NULL
		UNION ALL SELECT grid_id, screened_day, 'screened' FROM people WHERE screened_day IS NOT NULL
		UNION ALL SELECT grid_id, screened_day, 'key_screened' FROM people WHERE key_area AND screened_day IS NOT NULL
	),
	event_days AS (
		SELECT c.grid_id, c.day,
			count(e.kind) FILTER (WHERE e.kind = 'due') AS due,
			count(e.kind) FILTER (WHERE e.kind = 'returnee_screened') AS returnee_screened,
			count(e.kind) FILTER (WHERE e.kind = 'due_before') AS due_before,
			count(e.kind) FILTER (WHERE e.kind = 'due_before_screened') AS due_before_screened,
			count(e.kind) FILTER (WHERE e.kind = 'screened') AS screened,
			count(e.kind) FILTER (WHERE e.kind = 'key_screened') AS key_screened
		FROM cells c
		LEFT JOIN events e ON e.grid_id = c.grid_id AND (e.day = c.day OR (c.day = p_from AND e.day < p_from))
		GROUP BY c.grid_id, c.day
	),
	running AS (
		SELECT grid_id, day,
			sum(due) OVER w AS due,
			sum(returnee_screened) OVER w AS returnee_screened,
			sum(due_before) OVER w - sum(due_before_screened) OVER w AS overdue,
			sum(screened) OVER w AS screened_cum,
			sum(key_screened) OVER w AS key_screened_cum
		FROM event_days
		WINDOW w AS (PARTITION BY grid_id ORDER BY day)
	),
	screened_today AS (
		SELECT grid_id, (screened_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)::int AS n
		FROM screening WHERE subdistrict_id = p_subdistrict GROUP BY 1, 2
	),
	-- A checkpoint holds hours_per_day / 8 shifts a day, from 06:00, 14:00 and 22:00.
	open_checkpoints AS (
		SELECT c.id, c.grid_id, c.required_staff, c.hours_per_day, d.day
		FROM checkpoint c JOIN days d ON c.opens_on <= d.day AND (c.closes_on IS NULL OR d.day < c.closes_on)
		WHERE c.subdistrict_id = p_subdistrict AND c.grid_id IS NOT NULL
	),
	slots AS (
		SELECT s.checkpoint_id, s.starts_at, (s.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
			count(*) FILTER (WHERE s.checked_in) AS present,
			max(extract(epoch FROM s.ends_at - s.starts_at) / 3600) AS hours
		FROM shift s WHERE s.subdistrict_id = p_subdistrict
		GROUP BY s.checkpoint_id, s.starts_at
	),
	required AS (
		SELECT grid_id, day, count(*)::int AS checkpoints, sum(required_staff * hours_per_day)::int AS hours,
			sum(hours_per_day / 8)::int AS slots
		FROM open_checkpoints GROUP BY grid_id, day
	),
	staffed AS (
		SELECT oc.grid_id, oc.day,
			coalesce(sum(least(sl.present, oc.required_staff) * sl.hours), 0)::int AS hours,
			count(*) FILTER (WHERE sl.present >= oc.required_staff)::int AS full_slots
		FROM open_checkpoints oc JOIN slots sl ON sl.checkpoint_id = oc.id AND sl.day = oc.day
		GROUP BY oc.grid_id, oc.day
	),
	on_duty AS (
		SELECT grid_id, (starts_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(DISTINCT staff_id)::int AS n
		FROM shift WHERE subdistrict_id = p_subdistrict AND checked_in GROUP BY 1, 2
	),
	tasks AS (
		SELECT grid_id, (due_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)::int AS due,
			count(*) FILTER (WHERE done_at IS NULL OR (done_at AT TIME ZONE 'Asia/Shanghai')::date > (due_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
		FROM service_task WHERE subdistrict_id = p_subdistrict GROUP BY 1, 2
	),
	enterprises AS (
		SELECT e.grid_id, d.day, count(*)::int AS n, count(*) FILTER (WHERE e.resumed_on <= d.day)::int AS resumed
		FROM enterprise e CROSS JOIN days d WHERE e.subdistrict_id = p_subdistrict AND e.grid_id IS NOT NULL
		GROUP BY e.grid_id, d.day
	),
	reports AS (
		SELECT DISTINCT ON (c.grid_id, c.day) c.grid_id, c.day, r.report_date, r.reported_at
		FROM cells c JOIN daily_report r ON r.community_id = c.community_id AND r.report_date <= c.day
		ORDER BY c.grid_id, c.day, r.report_date DESC
	)
	SELECT p_subdistrict, c.community_id, c.grid_id, c.day,
		coalesce(h.n, 0), coalesce(h.residents, 0),
		coalesce(o.households, 0), coalesce(o.persons, 0), coalesce(o.households_cum, 0), coalesce(o.persons_cum, 0),
		coalesce(r.due, 0), coalesce(r.returnee_screened, 0), coalesce(st.n, 0), coalesce(r.screened_cum, 0),
		coalesce(r.key_screened_cum, 0), coalesce(r.overdue, 0),
		coalesce(rq.checkpoints, 0), coalesce(rq.hours, 0), coalesce(sf.hours, 0),
		coalesce(rq.slots, 0) - coalesce(sf.full_slots, 0), coalesce(od.n, 0),
		coalesce(t.due, 0), coalesce(t.overdue, 0),
		coalesce(e.n, 0), coalesce(e.resumed, 0),
		rp.report_date, rp.reported_at
	FROM cells c
	LEFT JOIN households h ON h.grid_id = c.grid_id
	LEFT JOIN observed o ON o.grid_id = c.grid_id AND o.day = c.day
	LEFT JOIN running r ON r.grid_id = c.grid_id AND r.day = c.day
	LEFT JOIN screened_today st ON st.grid_id = c.grid_id AND st.day = c.day
	LEFT JOIN required rq ON rq.grid_id = c.grid_id AND rq.day = c.day
	LEFT JOIN staffed sf ON sf.grid_id = c.grid_id AND sf.day = c.day
	LEFT JOIN on_duty od ON od.grid_id = c.grid_id AND od.day = c.day
	LEFT JOIN tasks t ON t.grid_id = c.grid_id AND t.day = c.day
	LEFT JOIN enterprises e ON e.grid_id = c.grid_id AND e.day = c.day
	LEFT JOIN reports rp ON rp.grid_id = c.grid_id AND rp.day = c.day;

	GET DIAGNOSTICS inserted = ROW_COUNT;
	RETURN inserted;
END
$$;
