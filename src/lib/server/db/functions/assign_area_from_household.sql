-- Records without a location of their own inherit it from the household, person or checkpoint.
-- Until issue 17 migrations defined it, last 0002_assign_and_rollup.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.assign_area_from_household()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	SELECT h.grid_id, h.community_id INTO NEW.grid_id, NEW.community_id FROM household h WHERE h.id = NEW.household_id;
	RETURN NEW;
END
$function$;
