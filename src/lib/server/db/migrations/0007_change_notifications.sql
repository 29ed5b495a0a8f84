-- Every refresh of the rollup tells listeners which days of which subdistrict changed, so wall
-- screens and open maps update without reloading. NOTIFY is delivered on commit, to every
-- connection that listens (on a server: every app instance).
CREATE OR REPLACE FUNCTION refresh_grid_day(p_subdistrict int, p_from date, p_to date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	previous text := system_scope_enter(p_subdistrict);
	inserted int;
BEGIN
	inserted := refresh_grid_day_rows(p_subdistrict, p_from, p_to);
	PERFORM system_scope_leave(previous);
	PERFORM pg_notify('gridwatch_changes', json_build_object('subdistrict', p_subdistrict, 'from', p_from, 'to', p_to)::text);
	RETURN inserted;
END
$$;

-- The newest moment the data speaks for, per day: the latest community report or screening.
CREATE FUNCTION data_as_of(p_subdistrict int, p_day date) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
$$;
REVOKE EXECUTE ON FUNCTION data_as_of(int, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION data_as_of(int, date) TO gridwatch_app;
