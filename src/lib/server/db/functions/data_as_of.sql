-- The newest moment the data speaks for, per day: the latest community report or screening.
-- Until issue 17 migrations defined it, last 0007_change_notifications.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.data_as_of(p_subdistrict integer, p_day date)
RETURNS timestamp with time zone
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
	newest timestamptz;
BEGIN
	SELECT greatest(
		(SELECT max(reported_at) FROM daily_report WHERE subdistrict_id = p_subdistrict AND report_date = p_day),
		(SELECT max(screened_at) FROM screening WHERE subdistrict_id = p_subdistrict
		   AND screened_at >= (p_day::timestamp AT TIME ZONE 'Asia/Shanghai') AND screened_at < ((p_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
	) INTO newest;
	PERFORM system_scope_leave(previous);
	RETURN newest;
END
$function$;
REVOKE EXECUTE ON FUNCTION data_as_of(p_subdistrict integer, p_day date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION data_as_of(p_subdistrict integer, p_day date) TO gridwatch_app;
