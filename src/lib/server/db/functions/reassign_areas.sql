-- After grid boundaries change (a boundary import or its rollback): every record of the subdistrict
-- takes its grid and community again as it would if written now — point records by the spatial
-- join of assign_area_by_point, records of a household, person or checkpoint from it. Only rows
-- whose grid or community changes are written. Returns the grids that lost or gained a record (for
-- the rollup). p_except: grids a rollback is about to remove, which place nothing. Whole-subdistrict
-- scope only.
CREATE OR REPLACE FUNCTION public.reassign_areas(p_subdistrict integer, p_except integer[] DEFAULT '{}')
RETURNS integer[]
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	t text;
	touched int[] := '{}';
	part int[];
BEGIN
	IF NOT scope_allows(p_subdistrict, NULL) THEN
		RAISE EXCEPTION 'import_scope' USING ERRCODE = '42501';
	END IF;
	FOREACH t IN ARRAY ARRAY['building', 'household', 'checkpoint', 'enterprise', 'project'] LOOP
		EXECUTE format(
			'WITH moved AS (
			   UPDATE %1$I r SET grid_id = a.grid_id, community_id = a.community_id
			   FROM (SELECT x.id, x.grid_id AS old_grid, g.id AS grid_id, g.community_id
			         FROM %1$I x
			         LEFT JOIN LATERAL (SELECT g.id, g.community_id FROM grid g
			                            WHERE g.subdistrict_id = x.subdistrict_id AND ST_Covers(g.geom, x.geom) AND NOT (g.id = ANY ($2))
			                            ORDER BY g.id LIMIT 1) g ON true
			         WHERE x.subdistrict_id = $1) a
			   WHERE r.id = a.id AND (r.grid_id IS DISTINCT FROM a.grid_id OR r.community_id IS DISTINCT FROM a.community_id)
			   RETURNING a.old_grid, a.grid_id)
			 SELECT coalesce(array_agg(DISTINCT x), ''{}'') FROM (SELECT old_grid FROM moved UNION SELECT grid_id FROM moved) m(x) WHERE x IS NOT NULL',
			t) INTO part USING p_subdistrict, p_except;
		touched := touched || part;
	END LOOP;
	FOREACH t IN ARRAY ARRAY['person', 'observation', 'service_task', 'health_check'] LOOP
		EXECUTE format(
			'WITH moved AS (
			   UPDATE %1$I r SET grid_id = h.grid_id, community_id = h.community_id
			   FROM household h
			   WHERE h.id = r.household_id AND r.subdistrict_id = $1
			     AND (r.grid_id IS DISTINCT FROM h.grid_id OR r.community_id IS DISTINCT FROM h.community_id)
			   RETURNING h.grid_id)
			 SELECT coalesce(array_agg(DISTINCT grid_id) FILTER (WHERE grid_id IS NOT NULL), ''{}'') FROM moved',
			t) INTO part USING p_subdistrict;
		touched := touched || part;
	END LOOP;
	UPDATE screening r SET grid_id = p.grid_id, community_id = p.community_id
	FROM person p
	WHERE p.id = r.person_id AND r.subdistrict_id = p_subdistrict
	  AND (r.grid_id IS DISTINCT FROM p.grid_id OR r.community_id IS DISTINCT FROM p.community_id);
	UPDATE shift r SET grid_id = c.grid_id, community_id = c.community_id
	FROM checkpoint c
	WHERE c.id = r.checkpoint_id AND r.subdistrict_id = p_subdistrict
	  AND (r.grid_id IS DISTINCT FROM c.grid_id OR r.community_id IS DISTINCT FROM c.community_id);
	RETURN ARRAY(SELECT DISTINCT x FROM unnest(touched) x ORDER BY x);
END
$function$;
REVOKE EXECUTE ON FUNCTION reassign_areas(p_subdistrict integer, p_except integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reassign_areas(p_subdistrict integer, p_except integer[]) TO gridwatch_app;
