-- Spatial work at write time: every point record gets its grid and community from a
-- spatial join (ST_Covers on the GiST-indexed grid polygons) when it is inserted or moved.
-- A point outside every grid keeps NULL, which the import flags as "outside the jurisdiction".
-- Until issue 17 migrations defined it, last 0002_assign_and_rollup.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.assign_area_by_point()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	SELECT g.id, g.community_id INTO NEW.grid_id, NEW.community_id
	FROM grid g
	WHERE g.subdistrict_id = NEW.subdistrict_id AND ST_Covers(g.geom, NEW.geom)
	ORDER BY g.id
	LIMIT 1;
	RETURN NEW;
END
$function$;
