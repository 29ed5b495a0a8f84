-- Applies a saved reinforcement plan: p_rows is the plan's assignments [{gridCode, checkpointCode,
-- startsAt, endsAt, people}] with grid and checkpoint codes; each row must be one of the stored
-- plan's needs and the rows must add up to the people the plan sends. All or nothing; refused (with
-- a message) when the scenario is applied already, when another plan was applied after this one
-- read the gaps, or when a shift in it has ended at p_now. Returns the people and shifts written.
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.apply_plan(p_scenario integer, p_user integer, p_now timestamp with time zone, p_rows jsonb)
RETURNS TABLE(people integer, shifts integer, grids integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
$function$;
REVOKE EXECUTE ON FUNCTION apply_plan(p_scenario integer, p_user integer, p_now timestamp with time zone, p_rows jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_plan(p_scenario integer, p_user integer, p_now timestamp with time zone, p_rows jsonb) TO gridwatch_app;
