-- A gate shift takes its grid and community from the checkpoint; a grid-work shift names its own.
-- Until issue 17 migrations defined it, last 0010_plans.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.assign_area_from_checkpoint()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	IF NEW.checkpoint_id IS NOT NULL THEN
		SELECT c.grid_id, c.community_id INTO NEW.grid_id, NEW.community_id FROM checkpoint c WHERE c.id = NEW.checkpoint_id;
	END IF;
	RETURN NEW;
END
$function$;
