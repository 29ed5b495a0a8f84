-- Access control in the database (PIPL art. 28: health and whereabouts are sensitive personal
-- information). Person-level tables carry row-level security keyed to the request's scope, which
-- the app sets per transaction (set_config(..., true)) after switching to the gridwatch_app role:
-- not a superuser, not the tables' owner, so the policies cannot be bypassed from the app.

DO $$
BEGIN
	-- Roles are cluster-wide: another database (or an administrator) may have made it already,
	-- in which case the migrating user needs no CREATEROLE.
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridwatch_app') THEN
		CREATE ROLE gridwatch_app NOLOGIN NOSUPERUSER NOINHERIT NOBYPASSRLS;
	END IF;
EXCEPTION WHEN duplicate_object THEN
	NULL; -- made concurrently by another database's migration
END
$$;

-- The role the app's connection user may switch to (SET ROLE requires membership).
DO $$
BEGIN
	EXECUTE format('GRANT gridwatch_app TO %I', current_user);
EXCEPTION WHEN others THEN
	NULL; -- already a member, or a superuser (who may SET ROLE to anything)
END
$$;

CREATE TABLE app_user (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,40}$'),
	display_name   text NOT NULL,
	role           text NOT NULL CHECK (role IN ('leader', 'community_lead', 'grid_leader', 'data_officer', 'planner', 'admin')),
	password_hash  text NOT NULL,
	disabled       boolean NOT NULL DEFAULT false,
	created_at     timestamptz NOT NULL DEFAULT now()
);

-- A user's scope: a set of communities and grids. No row: no person-level access at all.
CREATE TABLE user_scope (
	user_id      int NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	community_id int REFERENCES community (id),
	grid_id      int REFERENCES grid (id),
	CHECK ((community_id IS NULL) <> (grid_id IS NULL)),
	UNIQUE (user_id, community_id, grid_id)
);

-- Append-only audit log. The app's role may insert and read it, never change it; a trigger
-- refuses UPDATE and DELETE for everyone else too.
CREATE TABLE audit_log (
	id             bigserial PRIMARY KEY,
	subdistrict_id int REFERENCES subdistrict (id),
	at             timestamptz NOT NULL DEFAULT now(),
	actor_user_id  int REFERENCES app_user (id),
	actor          text NOT NULL,
	action         text NOT NULL,
	target_kind    text,
	target_id      text,
	detail         jsonb NOT NULL DEFAULT '{}'::jsonb,
	address        text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- The scope of one request. The app, still as its connection user, inserts a row under a random
-- token, points gridwatch.scope_token at it, then switches to gridwatch_app; it deletes the row before
-- the transaction ends, so no other transaction ever sees it. gridwatch_app can neither read nor write
-- this table, so hand-written SQL cannot widen its own scope: setting another token finds no row.
CREATE TABLE request_scope (
	token          text PRIMARY KEY,
	subdistrict_id int NOT NULL,
	person_scope   text NOT NULL CHECK (person_scope IN ('none', 'all', 'grids')),
	grid_ids       int[] NOT NULL DEFAULT '{}'
);

-- No token, or an unknown one: no rows. An unset scope is no access, never everything.
CREATE FUNCTION scope_allows(p_subdistrict int, p_grid int) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT EXISTS (
		SELECT 1 FROM request_scope r
		WHERE r.token = current_setting('gridwatch.scope_token', true)
		  AND r.subdistrict_id = p_subdistrict
		  AND (r.person_scope = 'all' OR (r.person_scope = 'grids' AND p_grid = ANY (r.grid_ids)))
	)
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['household', 'person', 'screening', 'observation', 'service_task', 'staff', 'shift'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON %I USING (scope_allows(subdistrict_id, grid_id)) WITH CHECK (scope_allows(subdistrict_id, grid_id))', t || '_scoped', t);
	END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO gridwatch_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO gridwatch_app;
GRANT INSERT, UPDATE ON household, person, screening, observation, service_task, staff, shift, checkpoint TO gridwatch_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gridwatch_app;
GRANT INSERT ON audit_log TO gridwatch_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM gridwatch_app;
REVOKE ALL ON request_scope FROM gridwatch_app;
REVOKE ALL ON request_scope FROM PUBLIC;
-- Password hashes are read only by the sign-in path, which runs as the connection user.
REVOKE SELECT ON app_user FROM gridwatch_app;
GRANT SELECT (id, subdistrict_id, username, display_name, role, disabled, created_at) ON app_user TO gridwatch_app;

-- The rollup reads person-level rows to write aggregates: it runs with a system scope of its own
-- subdistrict ('all'), restored on return, so it works whether or not the owner is a superuser
-- and may be triggered by the app's role after a write without widening that role's scope.
ALTER FUNCTION refresh_grid_day(int, date, date) RENAME TO refresh_grid_day_rows;
REVOKE EXECUTE ON FUNCTION refresh_grid_day_rows(int, date, date) FROM PUBLIC;

CREATE FUNCTION refresh_grid_day(p_subdistrict int, p_from date, p_to date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	previous_token text := current_setting('gridwatch.scope_token', true);
	system_token text := 'rollup-' || gen_random_uuid()::text;
	inserted int;
BEGIN
	INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES (system_token, p_subdistrict, 'all');
	PERFORM set_config('gridwatch.scope_token', system_token, true);
	inserted := refresh_grid_day_rows(p_subdistrict, p_from, p_to);
	DELETE FROM request_scope WHERE token = system_token;
	PERFORM set_config('gridwatch.scope_token', coalesce(previous_token, ''), true);
	RETURN inserted;
END
$$;
REVOKE EXECUTE ON FUNCTION refresh_grid_day(int, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_grid_day(int, date, date) TO gridwatch_app;

-- Counts of person-level rows are aggregates that every role may see (e.g. staff deployed, on the
-- summary and the wall): computed under a system scope, like the rollup.
CREATE FUNCTION subdistrict_staff_count(p_subdistrict int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	previous_token text := current_setting('gridwatch.scope_token', true);
	system_token text := 'count-' || gen_random_uuid()::text;
	total int;
BEGIN
	INSERT INTO request_scope (token, subdistrict_id, person_scope) VALUES (system_token, p_subdistrict, 'all');
	PERFORM set_config('gridwatch.scope_token', system_token, true);
	SELECT count(*)::int INTO total FROM staff WHERE subdistrict_id = p_subdistrict;
	DELETE FROM request_scope WHERE token = system_token;
	PERFORM set_config('gridwatch.scope_token', coalesce(previous_token, ''), true);
	RETURN total;
END
$$;
REVOKE EXECUTE ON FUNCTION subdistrict_staff_count(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION subdistrict_staff_count(int) TO gridwatch_app;
