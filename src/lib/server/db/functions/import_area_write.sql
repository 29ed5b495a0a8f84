-- Writes boundaries of one level ('grid' or 'community') for the data intake: p_rows is
-- [{id, code, name, communityId, geometry}] — id null inserts, otherwise updates that area —
-- with geometry as GeoJSON in WGS84, repaired (ST_MakeValid, polygons kept) and stored as a
-- multipolygon. Returns each area written and, for an update, its columns as they were (the
-- geometry as hex EWKB) for a rollback. Only a scope over the whole subdistrict may call it: the
-- area tables are otherwise read-only to the app (no row-level security on them: their spatial
-- indexes serve every request).
CREATE OR REPLACE FUNCTION public.import_area_write(p_subdistrict integer, p_level text, p_rows jsonb)
RETURNS TABLE(row_id integer, before jsonb)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	r jsonb;
	g geometry;
	was jsonb;
	new_id int;
BEGIN
	IF NOT scope_allows(p_subdistrict, NULL) THEN
		RAISE EXCEPTION 'import_scope' USING ERRCODE = '42501';
	END IF;
	IF p_level NOT IN ('grid', 'community') THEN
		RAISE EXCEPTION 'import_level:%', p_level USING ERRCODE = '22023';
	END IF;
	FOR r IN SELECT * FROM jsonb_array_elements(p_rows) LOOP
		g := ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(r->>'geometry'), 4326)), 3));
		IF p_level = 'grid' THEN
			IF NOT EXISTS (SELECT 1 FROM community c WHERE c.id = (r->>'communityId')::int AND c.subdistrict_id = p_subdistrict) THEN
				RAISE EXCEPTION 'import_area_community:%', r->>'code' USING ERRCODE = 'P0001';
			END IF;
			IF r->>'id' IS NULL THEN
				INSERT INTO grid (subdistrict_id, community_id, code, name, geom)
				VALUES (p_subdistrict, (r->>'communityId')::int, r->>'code', r->>'name', g)
				RETURNING id INTO new_id;
				row_id := new_id; before := NULL;
			ELSE
				SELECT jsonb_build_object('name', t.name, 'communityId', t.community_id, 'geom', encode(ST_AsEWKB(t.geom), 'hex'))
				INTO was FROM grid t WHERE t.id = (r->>'id')::int AND t.subdistrict_id = p_subdistrict FOR UPDATE;
				IF was IS NULL THEN
					RAISE EXCEPTION 'import_area_gone:%', r->>'code' USING ERRCODE = 'P0001';
				END IF;
				UPDATE grid SET name = r->>'name', community_id = (r->>'communityId')::int, geom = g
				WHERE id = (r->>'id')::int;
				row_id := (r->>'id')::int; before := was;
			END IF;
		ELSE
			IF r->>'id' IS NULL THEN
				INSERT INTO community (subdistrict_id, code, name, name_en, geom)
				VALUES (p_subdistrict, r->>'code', r->>'name', r->>'name', g)
				RETURNING id INTO new_id;
				row_id := new_id; before := NULL;
			ELSE
				SELECT jsonb_build_object('name', t.name, 'geom', encode(ST_AsEWKB(t.geom), 'hex'))
				INTO was FROM community t WHERE t.id = (r->>'id')::int AND t.subdistrict_id = p_subdistrict FOR UPDATE;
				IF was IS NULL THEN
					RAISE EXCEPTION 'import_area_gone:%', r->>'code' USING ERRCODE = 'P0001';
				END IF;
				UPDATE community SET name = r->>'name', geom = g WHERE id = (r->>'id')::int;
				row_id := (r->>'id')::int; before := was;
			END IF;
		END IF;
		RETURN NEXT;
	END LOOP;
END
$function$;
REVOKE EXECUTE ON FUNCTION import_area_write(p_subdistrict integer, p_level text, p_rows jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_area_write(p_subdistrict integer, p_level text, p_rows jsonb) TO gridwatch_app;
