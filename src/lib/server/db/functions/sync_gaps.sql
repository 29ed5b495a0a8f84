-- Runs the rules and brings the queue in line: new causes open items, changed counts are noted (a
-- resolved item whose count rises again reopens), causes that disappeared close their items. A cause
-- that comes back within w.reopenClosedAfter of clearing reopens its item (gap_same_cause), with its
-- acknowledgement and assignment, instead of starting a new one beside a closed twin; a reopened item
-- no longer shows its old resolution (its history keeps it). Returns what changed; tells listeners,
-- naming the grids whose items changed, when anything did.
-- Until issue 17 migrations defined it, last 0012_gap_reopen.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.sync_gaps(p_subdistrict integer, p_grid integer, w jsonb)
RETURNS TABLE(opened integer, changed integer, reopened integer, closed integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
	-- the grids whose items changed, for the change notification
	touched int[] := '{}';
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('gridwatch.gaps'), p_subdistrict);
	previous := system_scope_enter(p_subdistrict);
	SELECT coalesce(array_agg(x), '{}') INTO found_rows FROM gap_candidates_rows(p_subdistrict, p_grid, w) x;
	FOREACH c IN ARRAY found_rows LOOP
		SELECT * INTO item FROM gap_item i
		WHERE i.subdistrict_id = p_subdistrict AND i.rule = c.rule AND i.subject_key = c.subject_key AND i.closed_at IS NULL;
		IF item.id IS NULL THEN
			-- The same cause cleared only a moment ago: the same item, with its handling.
			SELECT * INTO item FROM gap_item i
			WHERE i.subdistrict_id = p_subdistrict AND i.rule = c.rule AND i.subject_key = c.subject_key
			  AND i.closed_at > (w->>'reopenClosedAfter')::timestamptz AND i.closed_at <= now_at
			  AND gap_same_cause(i.detail, c.detail)
			ORDER BY i.closed_at DESC, i.id DESC
			LIMIT 1;
		END IF;
		IF item.id IS NOT NULL AND item.closed_at IS NOT NULL THEN
			-- A resolution that did not hold (the cause went and came back) is open again;
			-- an acknowledgement and an assignment stand.
			UPDATE gap_item SET closed_at = NULL, count = c.n, severity = c.severity, detail = c.detail, updated_at = now_at,
			       status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END,
			       resolved_at = NULL, resolved_by = NULL, resolution_note = NULL, resolved_count = NULL
			WHERE id = item.id;
			INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
			VALUES (item.id, p_subdistrict, item.community_id, item.grid_id, now_at, 'reopened',
			        jsonb_build_object('closedAt', item.closed_at, 'count', c.n, 'severity', c.severity));
			n_reopened := n_reopened + 1;
			touched := touched || c.grid_id;
		ELSIF item.id IS NULL THEN
			INSERT INTO gap_item (subdistrict_id, community_id, grid_id, rule, subject_key, severity, count, detail, opened_at, updated_at)
			VALUES (p_subdistrict, c.community_id, c.grid_id, c.rule, c.subject_key, c.severity, c.n, c.detail, now_at, now_at)
			RETURNING id INTO new_id;
			INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
			VALUES (new_id, p_subdistrict, c.community_id, c.grid_id, now_at, 'opened', jsonb_build_object('count', c.n, 'severity', c.severity));
			n_opened := n_opened + 1;
			touched := touched || c.grid_id;
		ELSIF item.count <> c.n OR item.severity <> c.severity OR item.detail <> c.detail THEN
			IF item.status = 'resolved' AND c.n > coalesce(item.resolved_count, 0) THEN
				UPDATE gap_item SET count = c.n, severity = c.severity, detail = c.detail, updated_at = now_at, status = 'open',
				       resolved_at = NULL, resolved_by = NULL, resolution_note = NULL, resolved_count = NULL
				WHERE id = item.id;
				INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
				VALUES (item.id, p_subdistrict, item.community_id, item.grid_id, now_at, 'reopened', jsonb_build_object('from', item.resolved_count, 'to', c.n));
				n_reopened := n_reopened + 1;
				touched := touched || c.grid_id;
			ELSE
				UPDATE gap_item SET count = c.n, severity = c.severity, detail = c.detail, updated_at = now_at WHERE id = item.id;
				IF item.count <> c.n OR item.severity <> c.severity THEN
					INSERT INTO gap_event (gap_id, subdistrict_id, community_id, grid_id, at, action, detail)
					VALUES (item.id, p_subdistrict, item.community_id, item.grid_id, now_at, 'changed',
					        jsonb_build_object('from', item.count, 'to', c.n, 'severity', c.severity));
					n_changed := n_changed + 1;
					touched := touched || c.grid_id;
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
		RETURNING grid_id
	)
	SELECT count(*)::int, touched || coalesce(array_agg(grid_id), '{}') INTO n_closed, touched FROM logged;
	INSERT INTO gap_sync (subdistrict_id, synced_at, as_of) VALUES (p_subdistrict, clock_timestamp(), now_at)
	ON CONFLICT (subdistrict_id) DO UPDATE SET synced_at = excluded.synced_at, as_of = excluded.as_of;
	PERFORM system_scope_leave(previous);
	IF n_opened + n_changed + n_reopened + n_closed > 0 THEN
		-- The grids named are those whose own items changed (community-level items touch none); past
		-- 500 of them the list is left out (any grid), to stay well inside a notification's 8000 bytes.
		PERFORM pg_notify('gridwatch_changes', (
			jsonb_build_object('subdistrict', p_subdistrict, 'gaps', true, 'from', w->>'today', 'to', w->>'today')
			|| (SELECT CASE WHEN count(*) > 500 THEN '{}'::jsonb ELSE jsonb_build_object('grids', coalesce(jsonb_agg(g.code ORDER BY g.code), '[]')) END
			    FROM grid g WHERE g.id = ANY (touched))
		)::text);
	END IF;
	RETURN QUERY SELECT n_opened, n_changed, n_reopened, n_closed;
END
$function$;
REVOKE EXECUTE ON FUNCTION sync_gaps(p_subdistrict integer, p_grid integer, w jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_gaps(p_subdistrict integer, p_grid integer, w jsonb) TO gridwatch_app;
