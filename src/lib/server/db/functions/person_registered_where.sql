-- Where an ID number (by its keyed hash) is already registered in the caller's subdistrict, so a
-- returnee is found rather than registered twice (also by an ID number merged into another file). The caller need not see that grid: it learns the
-- community and grid only (and the person's id when the row is in its own scope). The subdistrict is
-- the request scope's, never a parameter; roles that see no person-level rows learn nothing.
CREATE OR REPLACE FUNCTION public.person_registered_where(p_id_hash text)
RETURNS TABLE(person_id integer, community_name text, community_name_en text, grid_code text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	caller request_scope;
	previous text;
	found_person int;
	found_grid int;
	visible boolean;
BEGIN
	SELECT * INTO caller FROM request_scope WHERE token = current_setting('gridwatch.scope_token', true);
	IF caller.token IS NULL OR caller.person_scope = 'none' THEN
		RETURN;
	END IF;
	previous := system_scope_enter(caller.subdistrict_id);
	SELECT p.id, p.grid_id INTO found_person, found_grid
	FROM person p WHERE p.subdistrict_id = caller.subdistrict_id AND p.id_hash = p_id_hash;
	-- An ID number a data officer merged into another person's file (横向查重) finds that file.
	IF found_person IS NULL THEN
		SELECT p.id, p.grid_id INTO found_person, found_grid
		FROM person_merge m JOIN person p ON p.id = m.kept_id
		WHERE m.subdistrict_id = caller.subdistrict_id AND m.undone_at IS NULL AND m.merged_row->>'id_hash' = p_id_hash
		ORDER BY m.id DESC LIMIT 1;
	END IF;
	PERFORM system_scope_leave(previous);
	IF found_person IS NULL THEN
		RETURN;
	END IF;
	visible := caller.person_scope = 'all' OR found_grid = ANY (caller.grid_ids);
	RETURN QUERY
	SELECT CASE WHEN visible THEN found_person END, c.name, c.name_en, g.code
	FROM grid g JOIN community c ON c.id = g.community_id
	WHERE g.id = found_grid
	UNION ALL
	SELECT CASE WHEN visible THEN found_person END, NULL, NULL, NULL WHERE found_grid IS NULL;
END
$function$;
REVOKE EXECUTE ON FUNCTION person_registered_where(p_id_hash text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION person_registered_where(p_id_hash text) TO gridwatch_app;
