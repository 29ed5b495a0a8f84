-- Reinforcement plans: every plan a planner makes is kept as a scenario (compared, exported);
-- applying one writes its people as staff and their duty as shifts.

-- A shift is one person on duty for one period: at a checkpoint (gate duty, as before) or in a
-- grid (screening, observation services: the work an applied plan sends people to do).
ALTER TABLE shift ALTER COLUMN checkpoint_id DROP NOT NULL;
ALTER TABLE shift ADD COLUMN duty text NOT NULL DEFAULT 'gate' CHECK (duty IN ('gate', 'screening', 'observation'));
ALTER TABLE shift ADD CONSTRAINT shift_duty_place CHECK ((duty = 'gate') = (checkpoint_id IS NOT NULL));

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
	applied_at     timestamptz,
	applied_as_of  timestamptz,
	applied_by     int REFERENCES app_user (id),
	CHECK ((applied_at IS NULL) = (applied_by IS NULL))
);
CREATE INDEX plan_scenario_subdistrict_idx ON plan_scenario (subdistrict_id, created_at DESC);

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
 * Applies a scenario: one staff row per person sent (named after the unit, numbered) and one shift
 * per person and duty. `p_rows`: [{unit, duty, grid, checkpoint, startsAt, endsAt, people}] with
 * grid and checkpoint codes. All or nothing; refused (with a message) when the scenario is applied
 * already, when another plan was applied after it was made (the gaps it answered have changed), or
 * when a shift in it has already ended at `p_now`. Returns the people and shifts written.
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
	staff_id int;
	k int;
	seq int := 0;
	n_people int := 0;
	n_grids int;
BEGIN
	SELECT * INTO s FROM plan_scenario WHERE id = p_scenario FOR UPDATE;
	IF s.id IS NULL THEN
		RAISE EXCEPTION 'plan_not_found' USING ERRCODE = 'P0002';
	END IF;
	IF s.applied_at IS NOT NULL THEN
		RAISE EXCEPTION 'plan_already_applied' USING ERRCODE = 'P0001';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.plan_apply'), s.subdistrict_id);
	SELECT id INTO later FROM plan_scenario
	WHERE subdistrict_id = s.subdistrict_id AND applied_at > s.created_at ORDER BY applied_at LIMIT 1;
	IF later IS NOT NULL THEN
		RAISE EXCEPTION 'plan_superseded:%', later USING ERRCODE = 'P0001';
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) x WHERE (x->>'endsAt')::timestamptz <= p_now) THEN
		RAISE EXCEPTION 'plan_shift_ended' USING ERRCODE = 'P0001';
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
			VALUES (s.subdistrict_id, g.community_id, g.id, format('R%s-%s', s.id, lpad(seq::text, 4, '0')), 'volunteer',
			        format('%s %s号', left(r->>'unit', 40), k), s.id)
			RETURNING id INTO staff_id;
			INSERT INTO shift (subdistrict_id, community_id, grid_id, checkpoint_id, staff_id, starts_at, ends_at, duty, plan_id)
			VALUES (s.subdistrict_id, g.community_id, g.id, cp_id, staff_id, (r->>'startsAt')::timestamptz, (r->>'endsAt')::timestamptz, r->>'duty', s.id);
			n_people := n_people + 1;
		END LOOP;
	END LOOP;
	PERFORM system_scope_leave(previous);
	SELECT count(DISTINCT x->>'grid') INTO n_grids FROM jsonb_array_elements(p_rows) x;
	UPDATE plan_scenario SET applied_at = clock_timestamp(), applied_as_of = p_now, applied_by = p_user WHERE id = s.id;
	PERFORM pg_notify('gridwatch_changes', json_build_object('subdistrict', s.subdistrict_id,
		'from', (p_now AT TIME ZONE 'Asia/Shanghai')::date, 'to', (p_now AT TIME ZONE 'Asia/Shanghai')::date, 'gaps', true)::text);
	RETURN QUERY SELECT n_people, n_people, n_grids;
END
$$;
REVOKE EXECUTE ON FUNCTION apply_plan(int, int, timestamptz, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_plan(int, int, timestamptz, jsonb) TO gridwatch_app;

-- The newest gap event of a subdistrict: the version under which open-gap counts are cached.
CREATE INDEX gap_event_subdistrict_id_idx ON gap_event (subdistrict_id, id);
