-- Reinforcement plans: every plan a planner makes is kept as a scenario (compared, exported);
-- applying one writes its people as staff and their duty as shifts.

-- A shift is one person on duty for one period: at a checkpoint (gate duty, as before) or in a
-- grid (screening, observation services: the work an applied plan sends people to do).
ALTER TABLE shift ALTER COLUMN checkpoint_id DROP NOT NULL;
ALTER TABLE shift ADD COLUMN duty text NOT NULL DEFAULT 'gate' CHECK (duty IN ('gate', 'screening', 'observation'));
ALTER TABLE shift ADD CONSTRAINT shift_duty_place CHECK ((duty = 'gate') = (checkpoint_id IS NOT NULL));
-- A gate shift takes its grid and community from the checkpoint; a grid-work shift names its own.
CREATE OR REPLACE FUNCTION assign_area_from_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.checkpoint_id IS NOT NULL THEN
		SELECT c.grid_id, c.community_id INTO NEW.grid_id, NEW.community_id FROM checkpoint c WHERE c.id = NEW.checkpoint_id;
	END IF;
	RETURN NEW;
END
$$;

CREATE TABLE plan_scenario (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
	created_by     int REFERENCES app_user (id),
	-- The application's clock when the plan was made (the demo's clock in demo mode) …
	as_of          timestamptz NOT NULL,
	-- … and the real moment, which orders plans against each other's application.
	created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
	request        jsonb NOT NULL,
	result         jsonb NOT NULL,
	-- The result's headline figures, for lists and comparisons without reading whole results.
	figures        jsonb NOT NULL,
	-- Applications are numbered in order; a plan records the last number it could see before it read
	-- the gaps, and is refused if any plan was applied after that (its gaps have changed since).
	seen_apply_seq bigint NOT NULL DEFAULT 0,
	apply_seq      bigint UNIQUE,
	applied_at     timestamptz,
	applied_as_of  timestamptz,
	applied_by     int REFERENCES app_user (id),
	CHECK ((applied_at IS NULL) = (applied_by IS NULL))
);
CREATE INDEX plan_scenario_subdistrict_idx ON plan_scenario (subdistrict_id, created_at DESC);
CREATE SEQUENCE plan_apply_seq;

ALTER TABLE staff ADD COLUMN plan_id int REFERENCES plan_scenario (id);
ALTER TABLE shift ADD COLUMN plan_id int REFERENCES plan_scenario (id);
CREATE INDEX shift_plan_idx ON shift (plan_id) WHERE plan_id IS NOT NULL;

-- Scenarios are seen and changed within the caller's subdistrict; the route decides which roles.
CREATE FUNCTION in_request_subdistrict(p_subdistrict int) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true) AND r.subdistrict_id = p_subdistrict
	)
$$;
ALTER TABLE plan_scenario ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_scenario FORCE ROW LEVEL SECURITY;
CREATE POLICY plan_scenario_scoped ON plan_scenario USING (in_request_subdistrict(subdistrict_id))
	WITH CHECK (in_request_subdistrict(subdistrict_id));
GRANT SELECT, INSERT, DELETE ON plan_scenario TO gridwatch_app;
GRANT UPDATE (name) ON plan_scenario TO gridwatch_app;
GRANT USAGE ON SEQUENCE plan_scenario_id_seq TO gridwatch_app;

-- Checkpoint staffing counts gate duty only.
CREATE OR REPLACE FUNCTION checkpoint_shift_staffing(p_subdistrict int, p_day date, p_slot int)
RETURNS TABLE (checkpoint_id int, assigned int, present int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT s.checkpoint_id, count(*)::int, (count(*) FILTER (WHERE s.checked_in))::int
	FROM shift s
	WHERE s.subdistrict_id = p_subdistrict AND s.checkpoint_id IS NOT NULL
	  AND s.starts_at = ((p_day + make_interval(hours => 6 + 8 * p_slot))::timestamp AT TIME ZONE 'Asia/Shanghai')
	GROUP BY s.checkpoint_id;
	PERFORM system_scope_leave(previous);
END
$$;

/*
 * Applies a scenario of the caller's subdistrict: one staff row per person sent (named after the
 * unit, numbered) and one shift per person and duty. `p_rows`: [{unit, duty, grid, checkpoint,
 * startsAt, endsAt, people}] with grid and checkpoint codes — each row must be one of the stored
 * plan's needs and the rows must add up to the people the plan sends. All or nothing; refused (with
 * a message) when the scenario is applied already, when another plan was applied after this one
 * read the gaps, or when a shift in it has ended at `p_now`. Returns the people and shifts written.
 */
CREATE FUNCTION apply_plan(p_scenario int, p_user int, p_now timestamptz, p_rows jsonb)
RETURNS TABLE (people int, shifts int, grids int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text;
	s plan_scenario;
	later int;
	r jsonb;
	g grid;
	cp_id int;
	new_staff int;
	k int;
	seq int := 0;
	n_people int := 0;
	n_grids int;
	first_day date;
	last_day date;
BEGIN
	SELECT * INTO s FROM plan_scenario WHERE id = p_scenario FOR UPDATE;
	IF s.id IS NULL OR NOT in_request_subdistrict(s.subdistrict_id) THEN
		RAISE EXCEPTION 'plan_not_found' USING ERRCODE = 'P0002';
	END IF;
	IF s.applied_at IS NOT NULL THEN
		RAISE EXCEPTION 'plan_already_applied' USING ERRCODE = 'P0001';
	END IF;
	-- One application at a time per subdistrict; each statement below sees the ones committed before.
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.plan_apply'), s.subdistrict_id);
	SELECT id INTO later FROM plan_scenario
	WHERE subdistrict_id = s.subdistrict_id AND apply_seq > s.seen_apply_seq ORDER BY apply_seq LIMIT 1;
	IF later IS NOT NULL THEN
		RAISE EXCEPTION 'plan_superseded:%', later USING ERRCODE = 'P0001';
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) x WHERE (x->>'endsAt')::timestamptz <= p_now) THEN
		RAISE EXCEPTION 'plan_shift_ended' USING ERRCODE = 'P0001';
	END IF;
	-- The rows are the stored plan's, not anything else.
	IF EXISTS (
		SELECT 1 FROM jsonb_array_elements(p_rows) x
		WHERE (x->>'people')::int < 0 OR NOT EXISTS (
			SELECT 1 FROM jsonb_array_elements(s.result->'needs') n
			WHERE n->>'gridCode' = x->>'grid' AND n->>'skill' = x->>'duty'
			  AND (n->>'checkpointCode') IS NOT DISTINCT FROM (x->>'checkpoint')))
	   OR (SELECT coalesce(sum((x->>'people')::int), 0) FROM jsonb_array_elements(p_rows) x)
	      <> (SELECT coalesce(sum((a->>'people')::int), 0) FROM jsonb_array_elements(s.result->'optimised'->'assignments') a) THEN
		RAISE EXCEPTION 'plan_rows_mismatch' USING ERRCODE = 'P0001';
	END IF;
	previous := system_scope_enter(s.subdistrict_id);
	FOR r IN SELECT * FROM jsonb_array_elements(p_rows) LOOP
		SELECT * INTO g FROM grid WHERE subdistrict_id = s.subdistrict_id AND code = r->>'grid';
		IF g.id IS NULL THEN
			RAISE EXCEPTION 'plan_unknown_grid:%', r->>'grid' USING ERRCODE = 'P0001';
		END IF;
		cp_id := NULL;
		IF r->>'duty' = 'gate' THEN
			SELECT id INTO cp_id FROM checkpoint WHERE subdistrict_id = s.subdistrict_id AND code = r->>'checkpoint';
			IF cp_id IS NULL THEN
				RAISE EXCEPTION 'plan_unknown_checkpoint:%', r->>'checkpoint' USING ERRCODE = 'P0001';
			END IF;
		END IF;
		FOR k IN 1 .. (r->>'people')::int LOOP
			seq := seq + 1;
			INSERT INTO staff (subdistrict_id, community_id, grid_id, code, kind, name_masked, plan_id)
			VALUES (s.subdistrict_id, g.community_id, g.id, format('R%s-%s', s.id, seq), 'volunteer',
			        format('%s %s号', left(r->>'unit', 40), k), s.id)
			RETURNING id INTO new_staff;
			INSERT INTO shift (subdistrict_id, community_id, grid_id, checkpoint_id, staff_id, starts_at, ends_at, duty, plan_id)
			VALUES (s.subdistrict_id, g.community_id, g.id, cp_id, new_staff, (r->>'startsAt')::timestamptz, (r->>'endsAt')::timestamptz, r->>'duty', s.id);
			n_people := n_people + 1;
		END LOOP;
	END LOOP;
	PERFORM system_scope_leave(previous);
	SELECT count(DISTINCT x->>'grid'), min(((x->>'startsAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date),
	       max(((x->>'startsAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)
	INTO n_grids, first_day, last_day FROM jsonb_array_elements(p_rows) x;
	UPDATE plan_scenario SET apply_seq = nextval('plan_apply_seq'), applied_at = clock_timestamp(), applied_as_of = p_now, applied_by = p_user
	WHERE id = s.id;
	-- Maps showing any day from today to the last shift's refetch.
	PERFORM pg_notify('gridwatch_changes', json_build_object('subdistrict', s.subdistrict_id,
		'from', least((p_now AT TIME ZONE 'Asia/Shanghai')::date, first_day), 'to', greatest((p_now AT TIME ZONE 'Asia/Shanghai')::date, last_day), 'gaps', true)::text);
	RETURN QUERY SELECT n_people, n_people, n_grids;
END
$$;
REVOKE EXECUTE ON FUNCTION apply_plan(int, int, timestamptz, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_plan(int, int, timestamptz, jsonb) TO gridwatch_app;

-- Reinforcements rostered by applied plans and not (yet) checked in, from `p_now` on: what later
-- plans already have on the way (a running shift's gap counts only who has checked in, and grid
-- work leaves its backlog until it is done).
CREATE FUNCTION rostered_reinforcements(p_subdistrict int, p_now timestamptz)
RETURNS TABLE (grid_code text, checkpoint_code text, duty text, starts_at timestamptz, n int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
BEGIN
	RETURN QUERY
	SELECT g.code, c.code, s.duty, s.starts_at, count(*)::int
	FROM shift s JOIN grid g ON g.id = s.grid_id LEFT JOIN checkpoint c ON c.id = s.checkpoint_id
	WHERE s.subdistrict_id = p_subdistrict AND s.plan_id IS NOT NULL AND NOT s.checked_in AND s.ends_at > p_now
	GROUP BY g.code, c.code, s.duty, s.starts_at;
	PERFORM system_scope_leave(previous);
END
$$;
REVOKE EXECUTE ON FUNCTION rostered_reinforcements(int, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rostered_reinforcements(int, timestamptz) TO gridwatch_app;

-- The newest gap event of a subdistrict (events are append-only): the version under which the
-- open-gap counts are cached. Read under a system scope: row-level security hides events otherwise.
CREATE FUNCTION gap_events_version(p_subdistrict int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
	version bigint;
BEGIN
	SELECT coalesce(max(id), 0) INTO version FROM gap_event WHERE subdistrict_id = p_subdistrict;
	PERFORM system_scope_leave(previous);
	RETURN version;
END
$$;
REVOKE EXECUTE ON FUNCTION gap_events_version(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gap_events_version(int) TO gridwatch_app;

CREATE INDEX gap_event_subdistrict_id_idx ON gap_event (subdistrict_id, id);
