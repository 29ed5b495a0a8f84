-- A gap's history is append-only: every change is a new event.
-- Until issue 17 migrations defined it, last 0009_gaps.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_event_is_append_only()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	RAISE EXCEPTION 'gap_event is append-only';
END
$function$;
