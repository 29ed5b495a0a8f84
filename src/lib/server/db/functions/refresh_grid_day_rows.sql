-- The rollup's rows for one subdistrict over [p_from, p_to] (Asia/Shanghai days) as of p_now, for
-- the grids p_grid_ids (NULL: all). Cumulative figures are running sums of per-day counts (a GROUP BY
-- on stored keys), so the cost grows with records + grids × days, not records × days; community_day
-- and subdistrict_day are recounted whole for the days (distinct people). Called by refresh_grid_day.
-- Until issue 17 migrations defined it, last 0016_refresh_own_grids.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.refresh_grid_day_rows(p_subdistrict integer, p_from date, p_to date, p_now timestamp with time zone, p_grid_ids integer[])
RETURNS integer
LANGUAGE plpgsql
AS $function$
DECLARE
	inserted int;
BEGIN
	DELETE FROM grid_day WHERE subdistrict_id = p_subdistrict AND day BETWEEN p_from AND p_to AND (p_grid_ids IS NULL OR grid_id = ANY (p_grid_ids));
	DELETE FROM community_day WHERE subdistrict_id = p_subdistrict AND day BETWEEN p_from AND p_to;
	DELETE FROM subdistrict_day WHERE subdistrict_id = p_subdistrict AND day BETWEEN p_from AND p_to;

	INSERT INTO grid_day
	WITH days AS (
		SELECT d::date AS day FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') AS d
	),
	duty AS (SELECT * FROM duty_rows(p_subdistrict, p_from, p_to, p_now) WHERE p_grid_ids IS NULL OR grid_id = ANY (p_grid_ids)),
	cells AS (
		SELECT g.id AS grid_id, g.community_id, d.day FROM grid g CROSS JOIN days d WHERE g.subdistrict_id = p_subdistrict AND (p_grid_ids IS NULL OR g.id = ANY (p_grid_ids))
	),
	households AS (
		SELECT grid_id, count(*)::int AS n, coalesce(sum(members), 0)::int AS residents
		FROM household WHERE subdistrict_id = p_subdistrict AND grid_id IS NOT NULL AND (p_grid_ids IS NULL OR grid_id = ANY (p_grid_ids)) GROUP BY grid_id
	),
	observed AS (
		SELECT o.grid_id, d.day,
			count(DISTINCT o.household_id) FILTER (WHERE d.day < o.end_date)::int AS households,
			count(DISTINCT o.person_id) FILTER (WHERE d.day < o.end_date)::int AS persons,
			count(DISTINCT o.household_id)::int AS households_cum,
			count(DISTINCT o.person_id)::int AS persons_cum
		FROM observation o JOIN days d ON o.start_date <= d.day
		WHERE o.subdistrict_id = p_subdistrict AND (o.status <> 'transferred' OR o.ended_at IS NOT NULL) AND (p_grid_ids IS NULL OR o.grid_id = ANY (p_grid_ids))
		GROUP BY o.grid_id, d.day
	),
	first_screening AS (
		SELECT person_id, min((screened_at AT TIME ZONE 'Asia/Shanghai')::date) AS day
		FROM screening WHERE subdistrict_id = p_subdistrict
		  AND (p_grid_ids IS NULL OR person_id IN (SELECT id FROM person WHERE subdistrict_id = p_subdistrict AND grid_id = ANY (p_grid_ids)))
		GROUP BY person_id
	),
	people AS (
		SELECT p.grid_id, p.returnee, p.key_area, p.arrival_date, fs.day AS screened_day
		FROM person p LEFT JOIN first_screening fs ON fs.person_id = p.id
		WHERE p.subdistrict_id = p_subdistrict AND p.grid_id IS NOT NULL AND (p_grid_ids IS NULL OR p.grid_id = ANY (p_grid_ids))
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
		FROM screening WHERE subdistrict_id = p_subdistrict AND (p_grid_ids IS NULL OR grid_id = ANY (p_grid_ids))
		  AND screened_at >= (p_from::timestamp AT TIME ZONE 'Asia/Shanghai') AND screened_at < ((p_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
		GROUP BY 1, 2
	),
	-- A checkpoint holds hours_per_day / 8 shifts a day, from 06:00, 14:00 and 22:00; only those
	-- begun by p_now count (a shift still to come is neither staffed nor short).
	open_checkpoints AS (
		SELECT c.id, c.grid_id, c.required_staff, d.day,
			least(c.hours_per_day / 8, shift_slots_begun(d.day, p_now)) AS begun_slots
		FROM checkpoint c JOIN days d ON c.opens_on <= d.day AND (c.closes_on IS NULL OR d.day < c.closes_on)
		WHERE c.subdistrict_id = p_subdistrict AND c.grid_id IS NOT NULL AND (p_grid_ids IS NULL OR c.grid_id = ANY (p_grid_ids))
	),
	slots AS (
		SELECT s.checkpoint_id, s.starts_at, (s.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
			count(*) FILTER (WHERE s.checked_in) AS present,
			max(extract(epoch FROM s.ends_at - s.starts_at) / 3600) AS hours
		FROM shift s WHERE s.subdistrict_id = p_subdistrict AND s.starts_at <= p_now
		  AND (p_grid_ids IS NULL OR s.checkpoint_id IN (SELECT id FROM checkpoint WHERE grid_id = ANY (p_grid_ids)))
		  AND s.starts_at >= (p_from::timestamp AT TIME ZONE 'Asia/Shanghai') AND s.starts_at < ((p_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
		GROUP BY s.checkpoint_id, s.starts_at
	),
	required AS (
		SELECT grid_id, day, count(*)::int AS checkpoints, sum(required_staff * 8 * begun_slots)::int AS hours,
			sum(begun_slots)::int AS slots
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
		SELECT grid_id, day, count(DISTINCT staff_id)::int AS n FROM duty GROUP BY 1, 2
	),
	tasks AS (
		SELECT grid_id, (due_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)::int AS due,
			count(*) FILTER (WHERE done_at IS NULL OR (done_at AT TIME ZONE 'Asia/Shanghai')::date > (due_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
		FROM service_task WHERE subdistrict_id = p_subdistrict AND (p_grid_ids IS NULL OR grid_id = ANY (p_grid_ids)) GROUP BY 1, 2
	),
	enterprises AS (
		SELECT e.grid_id, d.day, count(*)::int AS n, count(*) FILTER (WHERE e.resumed_on <= d.day)::int AS resumed
		FROM enterprise e CROSS JOIN days d WHERE e.subdistrict_id = p_subdistrict AND e.grid_id IS NOT NULL AND (p_grid_ids IS NULL OR e.grid_id = ANY (p_grid_ids))
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

	-- People on duty per community and for the subdistrict: distinct people, so someone at posts in
	-- two grids (or two communities) on one day counts once at each level above them.
	INSERT INTO community_day (subdistrict_id, community_id, day, staff_on_duty)
	SELECT p_subdistrict, c.id, d.day, count(DISTINCT du.staff_id)::int
	FROM community c CROSS JOIN (SELECT generate_series(p_from::timestamp, p_to::timestamp, interval '1 day')::date AS day) d
	LEFT JOIN duty_rows(p_subdistrict, p_from, p_to, p_now) du ON du.community_id = c.id AND du.day = d.day
	WHERE c.subdistrict_id = p_subdistrict
	GROUP BY c.id, d.day;

	INSERT INTO subdistrict_day (subdistrict_id, day, staff_on_duty, as_of)
	SELECT p_subdistrict, d.day, count(DISTINCT du.staff_id)::int, p_now
	FROM (SELECT generate_series(p_from::timestamp, p_to::timestamp, interval '1 day')::date AS day) d
	LEFT JOIN duty_rows(p_subdistrict, p_from, p_to, p_now) du ON du.day = d.day
	GROUP BY d.day;

	RETURN inserted;
END
$function$;
REVOKE EXECUTE ON FUNCTION refresh_grid_day_rows(p_subdistrict integer, p_from date, p_to date, p_now timestamp with time zone, p_grid_ids integer[]) FROM PUBLIC;
