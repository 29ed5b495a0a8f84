-- The gap rules, over one moment's windows w (see domain gapWindows). p_grid limits them to one grid
-- (community-level rules are then left out). Called only by gap_candidates and sync_gaps.
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_candidates_rows(p_subdistrict integer, p_grid integer, w jsonb)
RETURNS SETOF gap_candidate
LANGUAGE sql
STABLE
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	WITH params AS (
		SELECT (w->>'now')::timestamptz AS now_at,
		       (w->>'today')::date AS today,
		       (w->>'dayStart')::timestamptz AS day_start,
		       (w->>'arrivedBefore')::timestamptz AS arrived_before,
		       (w->>'healthCheckDue')::boolean AS health_due,
		       (w->>'serviceDueBefore')::timestamptz AS service_before,
		       (w->>'serviceDueAfter')::timestamptz AS service_after,
		       (w->>'observationEndBy')::timestamptz AS end_by,
		       ARRAY(SELECT jsonb_array_elements_text(w->'serviceKinds')) AS service_kinds
	),
	-- 1. Returnees more than N hours after arrival with no screening since.
	returnees AS (
		SELECT p.community_id, p.grid_id, p.id, p.arrival_date
		FROM person p, params
		WHERE p.subdistrict_id = p_subdistrict AND p.returnee AND p.grid_id IS NOT NULL
		  AND (p_grid IS NULL OR p.grid_id = p_grid)
		  AND coalesce(p.arrived_at, p.arrival_date::timestamp AT TIME ZONE 'Asia/Shanghai') < params.arrived_before
		  AND NOT EXISTS (
		    SELECT 1 FROM screening s
		    WHERE s.person_id = p.id AND s.screened_at <= params.now_at
		      AND s.screened_at >= coalesce(p.arrived_at, p.arrival_date::timestamp AT TIME ZONE 'Asia/Shanghai'))
	),
	-- Households under observation today (start ≤ today < end).
	observed AS (
		SELECT DISTINCT h.id, h.code, h.community_id, h.grid_id
		FROM observation o JOIN household h ON h.id = o.household_id, params
		WHERE o.subdistrict_id = p_subdistrict AND (o.status <> 'transferred' OR o.ended_at IS NOT NULL)
		  AND o.start_date <= params.today AND params.today < o.end_date AND h.grid_id IS NOT NULL
		  AND (o.ended_at IS NULL OR o.ended_at > params.now_at)
		  AND (p_grid IS NULL OR h.grid_id = p_grid)
	),
	-- 2. After the deadline, observed households with no health visit done and no health check
	--    recorded since midnight.
	unchecked AS (
		SELECT o.* FROM observed o, params
		WHERE params.health_due
		  AND NOT EXISTS (
		    SELECT 1 FROM service_task t
		    WHERE t.household_id = o.id AND t.kind = 'visit' AND t.done_at >= params.day_start AND t.done_at <= params.now_at)
		  AND NOT EXISTS (
		    SELECT 1 FROM health_check c
		    WHERE c.household_id = o.id AND c.checked_at >= params.day_start AND c.checked_at <= params.now_at)
	),
	-- 3. Services due (within the look-back, past the grace) and neither done nor marked missed (with
	--    its reason: nothing left to chase) by now.
	overdue AS (
		SELECT t.community_id, t.grid_id, t.kind, t.id, h.code, t.due_at
		FROM service_task t JOIN household h ON h.id = t.household_id, params
		WHERE t.subdistrict_id = p_subdistrict AND t.grid_id IS NOT NULL AND (p_grid IS NULL OR t.grid_id = p_grid)
		  AND t.kind = ANY (params.service_kinds)
		  AND t.due_at < params.service_before AND t.due_at >= params.service_after
		  AND (t.done_at IS NULL OR t.done_at > params.now_at)
		  AND (t.missed_at IS NULL OR t.missed_at > params.now_at)
	),
	-- 4. Checkpoint shifts in the horizon below their required staff: rostered for later shifts,
	--    checked in for the one running now.
	slots AS (
		SELECT (x->>'day')::date AS day, (x->>'slot')::int AS slot, (x->>'startsAt')::timestamptz AS starts_at,
		       (x->>'endsAt')::timestamptz AS ends_at, (x->>'current')::boolean AS is_current, x->>'severity' AS severity
		FROM jsonb_array_elements(w->'shifts') x
	),
	posts AS (
		SELECT c.id, c.code, c.name, c.kind, c.community_id, c.grid_id, c.required_staff, s.*,
		       (SELECT CASE WHEN s.is_current THEN count(*) FILTER (WHERE sh.checked_in) ELSE count(*) END
		        FROM shift sh WHERE sh.checkpoint_id = c.id AND sh.starts_at = s.starts_at)::int AS staffed
		FROM checkpoint c JOIN slots s ON s.slot < c.hours_per_day / 8
		WHERE c.subdistrict_id = p_subdistrict AND c.grid_id IS NOT NULL AND (p_grid IS NULL OR c.grid_id = p_grid)
		  AND c.opens_on <= s.day AND (c.closes_on IS NULL OR s.day < c.closes_on)
	),
	-- 5. Communities without a report for a day whose cut-off has passed (a late report counts once in).
	missing_reports AS (
		SELECT c.id AS community_id, c.code, d.day::date AS day
		FROM community c CROSS JOIN jsonb_array_elements_text(w->'reportDays') d(day), params
		WHERE c.subdistrict_id = p_subdistrict AND p_grid IS NULL
		  AND NOT EXISTS (SELECT 1 FROM daily_report r WHERE r.community_id = c.id AND r.report_date = d.day::date AND r.reported_at <= params.now_at)
	),
	-- 6. Observations ending soon (their end is the start of the end date): information.
	ending AS (
		SELECT h.community_id, h.grid_id, h.code, min(o.end_date) AS end_date
		FROM observation o JOIN household h ON h.id = o.household_id, params
		WHERE o.subdistrict_id = p_subdistrict AND (o.status <> 'transferred' OR o.ended_at IS NOT NULL) AND h.grid_id IS NOT NULL
		  AND (p_grid IS NULL OR h.grid_id = p_grid)
		  AND o.start_date <= params.today AND params.today < o.end_date
		  AND (o.ended_at IS NULL OR o.ended_at > params.now_at)
		  AND (o.end_date::timestamp AT TIME ZONE 'Asia/Shanghai') > params.now_at
		  AND (o.end_date::timestamp AT TIME ZONE 'Asia/Shanghai') <= params.end_by
		GROUP BY h.community_id, h.grid_id, h.code
	)
	SELECT 'returnee_unscreened', r.community_id, r.grid_id, 'grid:' || g.code, 'high', count(*)::int,
	       jsonb_build_object('hours', (w->>'returneeHours')::numeric, 'oldestArrival', min(r.arrival_date),
	                          'persons', (array_agg(r.id ORDER BY r.arrival_date, r.id))[1:500])
	FROM returnees r JOIN grid g ON g.id = r.grid_id GROUP BY r.community_id, r.grid_id, g.code
	UNION ALL
	SELECT 'health_check_missing', u.community_id, u.grid_id, 'grid:' || g.code || ':' || (w->>'today'), 'high', count(*)::int,
	       jsonb_build_object('by', w->>'healthCheckBy', 'day', w->>'today', 'households', (array_agg(u.code ORDER BY u.code))[1:500])
	FROM unchecked u JOIN grid g ON g.id = u.grid_id GROUP BY u.community_id, u.grid_id, g.code
	UNION ALL
	SELECT 'service_overdue', o.community_id, o.grid_id, 'grid:' || g.code || ':' || o.kind, 'medium', count(DISTINCT o.code)::int,
	       jsonb_build_object('kind', o.kind, 'tasks', count(*), 'oldestDue', min(o.due_at),
	                          'households', (array_agg(DISTINCT o.code))[1:500])
	FROM overdue o JOIN grid g ON g.id = o.grid_id GROUP BY o.community_id, o.grid_id, g.code, o.kind
	UNION ALL
	SELECT 'checkpoint_short', p.community_id, p.grid_id, 'checkpoint:' || p.code || ':' || p.day || ':' || p.slot, p.severity,
	       p.required_staff - p.staffed,
	       jsonb_build_object('checkpoint', p.code, 'name', p.name, 'kind', p.kind, 'day', p.day, 'slot', p.slot,
	                          'startsAt', p.starts_at, 'endsAt', p.ends_at, 'required', p.required_staff, 'staffed', p.staffed, 'current', p.is_current)
	FROM posts p WHERE p.staffed < p.required_staff
	UNION ALL
	SELECT 'report_missing', m.community_id, NULL, 'community:' || m.code || ':' || m.day, 'medium', 1,
	       jsonb_build_object('day', m.day, 'cutoff', w->>'reportCutoff')
	FROM missing_reports m
	UNION ALL
	SELECT 'observation_ending', e.community_id, e.grid_id, 'grid:' || g.code, 'info', count(*)::int,
	       jsonb_build_object('hours', round(extract(epoch FROM (params.end_by - params.now_at)) / 3600), 'firstEnd', min(e.end_date),
	                          'households', (array_agg(e.code ORDER BY e.end_date, e.code))[1:500])
	FROM ending e JOIN grid g ON g.id = e.grid_id, params GROUP BY e.community_id, e.grid_id, g.code, params.end_by, params.now_at
$function$;
REVOKE EXECUTE ON FUNCTION gap_candidates_rows(p_subdistrict integer, p_grid integer, w jsonb) FROM PUBLIC;
