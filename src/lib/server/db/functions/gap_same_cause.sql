-- "The same cause": the same subject (a post's shift, a community's report of a day) and, for the
-- subjects that list people or households (a grid's returnees, its overdue services), at least one
-- of the same ones: other returnees in the same grid are a new problem, not one already handled.
-- Until issue 17 migrations defined it, last 0012_gap_reopen.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.gap_same_cause(a jsonb, b jsonb)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
	SELECT CASE
		WHEN a ? 'persons' OR b ? 'persons' THEN EXISTS (
			SELECT 1 FROM jsonb_array_elements(a->'persons') x JOIN jsonb_array_elements(b->'persons') y ON x = y)
		WHEN a ? 'households' OR b ? 'households' THEN EXISTS (
			SELECT 1 FROM jsonb_array_elements(a->'households') x JOIN jsonb_array_elements(b->'households') y ON x = y)
		ELSE true
	END
$function$;
