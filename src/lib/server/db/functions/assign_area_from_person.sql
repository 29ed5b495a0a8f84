-- A screening, observation or service task without a place of its own takes its person's grid and
-- community (see assign_area_from_household).
-- Until issue 17 migrations defined it, last 0002_assign_and_rollup.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.assign_area_from_person()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	SELECT p.grid_id, p.community_id INTO NEW.grid_id, NEW.community_id FROM person p WHERE p.id = NEW.person_id;
	RETURN NEW;
END
$function$;
