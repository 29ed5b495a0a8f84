-- Undoes import_area_write for a rollback: p_rows is [{id, before}] as import_change keeps them;
-- before null deletes the area (and its derived per-day rows: the caller has checked that nothing
-- else names it), otherwise puts back its name, community and geometry. Whole-subdistrict scope only.
CREATE OR REPLACE FUNCTION public.import_area_restore(p_subdistrict integer, p_level text, p_rows jsonb)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	r jsonb;
	n int := 0;
BEGIN
	IF NOT scope_allows(p_subdistrict, NULL) THEN
		RAISE EXCEPTION 'import_scope' USING ERRCODE = '42501';
	END IF;
	FOR r IN SELECT * FROM jsonb_array_elements(p_rows) LOOP
		IF p_level = 'grid' THEN
			IF r->'before' IS NULL OR jsonb_typeof(r->'before') = 'null' THEN
				DELETE FROM grid_day WHERE grid_id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
				DELETE FROM grid WHERE id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
			ELSE
				UPDATE grid SET name = r->'before'->>'name', community_id = (r->'before'->>'communityId')::int,
				       geom = ST_GeomFromEWKB(decode(r->'before'->>'geom', 'hex'))
				WHERE id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
			END IF;
		ELSIF p_level = 'community' THEN
			IF r->'before' IS NULL OR jsonb_typeof(r->'before') = 'null' THEN
				DELETE FROM community_day WHERE community_id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
				DELETE FROM community WHERE id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
			ELSE
				UPDATE community SET name = r->'before'->>'name', geom = ST_GeomFromEWKB(decode(r->'before'->>'geom', 'hex'))
				WHERE id = (r->>'id')::int AND subdistrict_id = p_subdistrict;
			END IF;
		END IF;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$function$;
REVOKE EXECUTE ON FUNCTION import_area_restore(p_subdistrict integer, p_level text, p_rows jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_area_restore(p_subdistrict integer, p_level text, p_rows jsonb) TO gridwatch_app;
