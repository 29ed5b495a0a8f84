-- Gaps: what is not done, per grid, checkpoint shift and community, kept as items that people
-- acknowledge, assign and resolve (the exception queue), with an append-only history.
-- The rules' time windows come from the domain layer (src/lib/domain/gaps.ts, gapWindows) as one
-- jsonb parameter; the SQL here finds the records that fall in them.

-- When a returnee's arrival time is known (a checkpoint registration), it counts from then;
-- otherwise from the start of the arrival day.
ALTER TABLE person ADD COLUMN arrived_at timestamptz;
ALTER TABLE person ADD CONSTRAINT person_arrived_at_on_arrival_date
	CHECK (arrived_at IS NULL OR (arrived_at AT TIME ZONE 'Asia/Shanghai')::date = arrival_date);

CREATE INDEX service_task_household_idx ON service_task (household_id, kind, done_at);

CREATE TABLE gap_item (
	id                 serial PRIMARY KEY,
	subdistrict_id     int NOT NULL REFERENCES subdistrict (id),
	community_id       int NOT NULL REFERENCES community (id),
	-- NULL for community-level items (a missing daily report)
	grid_id            int REFERENCES grid (id),
	rule               text NOT NULL CHECK (rule IN ('returnee_unscreened', 'health_check_missing', 'service_overdue', 'checkpoint_short', 'report_missing', 'observation_ending')),
	-- what the item is about, e.g. 'grid:0412', 'checkpoint:K012:2020-02-28:2', 'community:330114002003:2020-02-28'
	subject_key        text NOT NULL,
	severity           text NOT NULL CHECK (severity IN ('high', 'medium', 'low', 'info')),
	count              int NOT NULL CHECK (count >= 0),
	detail             jsonb NOT NULL DEFAULT '{}',
	status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
	opened_at          timestamptz NOT NULL,
	updated_at         timestamptz NOT NULL,
	acknowledged_at    timestamptz,
	acknowledged_by    int REFERENCES app_user (id),
	assigned_staff_id  int REFERENCES staff (id),
	assigned_at        timestamptz,
	assigned_by        int REFERENCES app_user (id),
	resolved_at        timestamptz,
	resolved_by        int REFERENCES app_user (id),
	resolution_note    text,
	-- the count when resolved: if it rises again the item reopens
	resolved_count     int,
	-- set when the cause disappeared (the rule no longer finds it); the item is then history
	closed_at          timestamptz
);
-- One live item per rule and subject; a cause that comes back after closing is a new item.
CREATE UNIQUE INDEX gap_item_live_idx ON gap_item (subdistrict_id, rule, subject_key) WHERE closed_at IS NULL;
CREATE INDEX gap_item_grid_idx ON gap_item (grid_id, closed_at);
CREATE INDEX gap_item_community_idx ON gap_item (community_id, closed_at);

CREATE TABLE gap_event (
	id             bigserial PRIMARY KEY,
	gap_id         int NOT NULL REFERENCES gap_item (id),
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int NOT NULL REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	at             timestamptz NOT NULL,
	-- NULL: the system (the rules found, changed or cleared the cause)
	actor_user_id  int REFERENCES app_user (id),
	action         text NOT NULL CHECK (action IN ('opened', 'changed', 'acknowledged', 'assigned', 'resolved', 'reopened', 'closed')),
	note           text,
	detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX gap_event_gap_idx ON gap_event (gap_id, at);

CREATE FUNCTION gap_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'gap_event is append-only';
END
$$;
CREATE TRIGGER gap_event_no_update BEFORE UPDATE OR DELETE ON gap_event
	FOR EACH ROW EXECUTE FUNCTION gap_event_is_append_only();
CREATE TRIGGER gap_event_no_truncate BEFORE TRUNCATE ON gap_event
	FOR EACH STATEMENT EXECUTE FUNCTION gap_event_is_append_only();

-- When the rules last ran for a subdistrict, and for which moment.
CREATE TABLE gap_sync (
	subdistrict_id int PRIMARY KEY REFERENCES subdistrict (id),
	synced_at      timestamptz NOT NULL,
	as_of          timestamptz NOT NULL
);

-- Who sees an item: gap items say what is wrong, not who, so leadership, planners and wall screens
-- (scope 'none') see them all, like the map's aggregates; a grid leader sees their grids' items
-- and a community-level item only when every grid of that community is theirs.
CREATE FUNCTION gap_visible(p_subdistrict int, p_community int, p_grid int) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true)
		  AND r.subdistrict_id = p_subdistrict
		  AND (r.person_scope IN ('all', 'none')
		       OR (r.person_scope = 'grids' AND (
		             p_grid = ANY (r.grid_ids)
		             OR (p_grid IS NULL AND NOT EXISTS (SELECT 1 FROM grid g WHERE g.community_id = p_community AND NOT g.id = ANY (r.grid_ids))))))
	)
$$;
-- Acting on an item (acknowledge, assign, resolve) needs a scope over people, not aggregates only.
CREATE FUNCTION gap_actionable(p_subdistrict int, p_community int, p_grid int) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
	SELECT gap_visible(p_subdistrict, p_community, p_grid) AND EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true) AND r.person_scope IN ('all', 'grids')
	)
$$;

ALTER TABLE gap_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE gap_item FORCE ROW LEVEL SECURITY;
CREATE POLICY gap_item_read ON gap_item FOR SELECT USING (gap_visible(subdistrict_id, community_id, grid_id));
CREATE POLICY gap_item_act ON gap_item FOR UPDATE USING (gap_actionable(subdistrict_id, community_id, grid_id))
	WITH CHECK (gap_actionable(subdistrict_id, community_id, grid_id));
CREATE POLICY gap_item_system ON gap_item FOR INSERT WITH CHECK (gap_actionable(subdistrict_id, community_id, grid_id));
ALTER TABLE gap_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE gap_event FORCE ROW LEVEL SECURITY;
CREATE POLICY gap_event_read ON gap_event FOR SELECT USING (gap_visible(subdistrict_id, community_id, grid_id));
CREATE POLICY gap_event_write ON gap_event FOR INSERT WITH CHECK (gap_actionable(subdistrict_id, community_id, grid_id));

GRANT SELECT ON gap_item, gap_event, gap_sync TO gridwatch_app;
-- The app's role changes an item's handling, never what the rules found.
GRANT UPDATE (status, updated_at, acknowledged_at, acknowledged_by, assigned_staff_id, assigned_at, assigned_by,
              resolved_at, resolved_by, resolution_note, resolved_count) ON gap_item TO gridwatch_app;
GRANT INSERT ON gap_event TO gridwatch_app;
GRANT USAGE ON SEQUENCE gap_event_id_seq TO gridwatch_app;
REVOKE UPDATE, DELETE, TRUNCATE ON gap_event FROM gridwatch_app;

-- The rules, over one moment's windows (see gapWindows). p_grid limits them to one grid
-- (community-level rules are then left out). Called only by the two functions below.
CREATE TYPE gap_candidate AS (rule text, community_id int, grid_id int, subject_key text, severity text, n int, detail jsonb);

CREATE FUNCTION gap_candidates_rows(p_subdistrict int, p_grid int, w jsonb) RETURNS SETOF gap_candidate
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
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
		WHERE o.subdistrict_id = p_subdistrict AND o.status <> 'transferred'
		  AND o.start_date <= params.today AND params.today < o.end_date AND h.grid_id IS NOT NULL
		  AND (p_grid IS NULL OR h.grid_id = p_grid)
	),
	-- 2. After the deadline, observed households with no health visit done since midnight.
	unchecked AS (
		SELECT o.* FROM observed o, params
		WHERE params.health_due
		  AND NOT EXISTS (
		    SELECT 1 FROM service_task t
		    WHERE t.household_id = o.id AND t.kind = 'visit' AND t.done_at >= params.day_start AND t.done_at <= params.now_at)
	),
	-- 3. Services due (within the look-back, past the grace) and not done by now.
	overdue AS (
		SELECT t.community_id, t.grid_id, t.kind, t.id, h.code, t.due_at
		FROM service_task t JOIN household h ON h.id = t.household_id, params
		WHERE t.subdistrict_id = p_subdistrict AND t.grid_id IS NOT NULL AND (p_grid IS NULL OR t.grid_id = p_grid)
		  AND t.kind = ANY (params.service_kinds)
		  AND t.due_at < params.service_before AND t.due_at >= params.service_after
		  AND (t.done_at IS NULL OR t.done_at > params.now_at)
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
		WHERE o.subdistrict_id = p_subdistrict AND o.status <> 'transferred' AND h.grid_id IS NOT NULL
		  AND (p_grid IS NULL OR h.grid_id = p_grid)
		  AND o.start_date <= params.today AND params.today < o.end_date
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
$$;
REVOKE EXECUTE ON FUNCTION gap_candidates_rows(int, int, jsonb) FROM PUBLIC;

-- What the rules find now, without touching the queue (for tests and the benchmark).
CREATE FUNCTION gap_candidates(p_subdistrict int, p_grid int, w jsonb) RETURNS SETOF gap_candidate
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY SELECT * FROM gap_candidates_rows(p_subdistrict, p_grid, w);
	PERFORM system_scope_leave(previous);
END
$$;
REVOKE EXECUTE ON FUNCTION gap_candidates(int, int, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gap_candidates(int, int, jsonb) TO gridwatch_app;

-- Runs the rules and brings the queue in line: new causes open items, changed counts are noted
-- (a resolved item whose count rises again reopens), causes that disappeared close their items.
-- Returns what changed; tells listeners when anything did.
CREATE FUNCTION sync_gaps(p_subdistrict int, p_grid int, w jsonb)
RETURNS TABLE (opened int, changed int, reopened int, closed int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text;
	now_at timestamptz := (w->>'now')::timestamptz;
	found_rows gap_candidate[];
	c gap_candidate;
	item gap_item;
	new_id int;
	n_opened int := 0;
	n_changed int := 0;
	n_reopened int := 0;
	n_closed int := 0;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.gaps'), p_subdistrict);
	previous := system_scope_enter(p_subdistrict);
	SELECT coalesce(array_agg(x), '{}') INTO found_rows FROM gap_candidates_rows(p_subdistrict, p_grid, w) x;
	FOREACH c IN ARRAY found_rows LOOP
		SELECT * INTO item FROM gap_item i
		WHERE i.subdistrict_id = p_subdistrict AND i.rule = c.rule AND i.subject_key = c.subject_key AND i.closed_at IS NULL;
		IF item.id IS NULL THEN
			INSERT INTO gap_item (subdistrict_id, community_id, grid_id, rule, subject_key, severity, count, detail, opened_at, updated_at)
			VALUES (p_subdistrict, c.community_id, c.grid_id, c.rule, c.subject_key, c.severity, c.n, c.detail, now_at, now_at)
			RETURNING id INTO new_id;
			INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
			VALUES (new_id, p_subdistrict, c.community_id, c.grid_id, now_at, 'opened', jsonb_build_object('count', c.n, 'severity', c.severity));
			n_opened := n_opened + 1;
		ELSIF item.count <> c.n OR item.severity <> c.severity OR item.detail <> c.detail THEN
			IF item.status = 'resolved' AND c.n > coalesce(item.resolved_count, 0) THEN
				UPDATE gap_item SET count = c.n, severity = c.severity, detail = c.detail, updated_at = now_at, status = 'open'
				WHERE id = item.id;
				INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
				VALUES (item.id, p_subdistrict, item.community_id, item.grid_id, now_at, 'reopened', jsonb_build_object('from', item.resolved_count, 'to', c.n));
				n_reopened := n_reopened + 1;
			ELSE
				UPDATE gap_item SET count = c.n, severity = c.severity, detail = c.detail, updated_at = now_at WHERE id = item.id;
				IF item.count <> c.n OR item.severity <> c.severity THEN
					INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
					VALUES (item.id, p_subdistrict, item.community_id, item.grid_id, now_at, 'changed',
					        jsonb_build_object('from', item.count, 'to', c.n, 'severity', c.severity));
					n_changed := n_changed + 1;
				END IF;
			END IF;
		END IF;
		item := NULL;
	END LOOP;
	WITH gone AS (
		UPDATE gap_item i SET closed_at = now_at, updated_at = now_at
		WHERE i.subdistrict_id = p_subdistrict AND i.closed_at IS NULL AND i.opened_at <= now_at
		  AND (p_grid IS NULL OR i.grid_id = p_grid)
		  AND NOT EXISTS (SELECT 1 FROM unnest(found_rows) f WHERE f.rule = i.rule AND f.subject_key = i.subject_key)
		RETURNING i.id, i.community_id, i.grid_id, i.count
	), logged AS (
		INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
		SELECT id, p_subdistrict, community_id, grid_id, now_at, 'closed', jsonb_build_object('count', count) FROM gone
		RETURNING 1
	)
	SELECT count(*)::int INTO n_closed FROM logged;
	INSERT INTO gap_sync (subdistrict_id, synced_at, as_of) VALUES (p_subdistrict, clock_timestamp(), now_at)
	ON CONFLICT (subdistrict_id) DO UPDATE SET synced_at = excluded.synced_at, as_of = excluded.as_of;
	PERFORM system_scope_leave(previous);
	IF n_opened + n_changed + n_reopened + n_closed > 0 THEN
		PERFORM pg_notify('gridwatch_changes', json_build_object('subdistrict', p_subdistrict, 'gaps', true, 'from', w->>'today', 'to', w->>'today')::text);
	END IF;
	RETURN QUERY SELECT n_opened, n_changed, n_reopened, n_closed;
END
$$;
REVOKE EXECUTE ON FUNCTION sync_gaps(int, int, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_gaps(int, int, jsonb) TO gridwatch_app;

-- Open gaps per grid and community at one moment, from the items' histories: an item counts when
-- its last opening/closing event by then opened it. The same counts for every role (aggregates).
CREATE FUNCTION open_gap_counts(p_subdistrict int, p_at timestamptz)
RETURNS TABLE (community_id int, grid_id int, open int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
$$;
REVOKE EXECUTE ON FUNCTION open_gap_counts(int, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION open_gap_counts(int, timestamptz) TO gridwatch_app;
