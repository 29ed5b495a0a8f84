-- The audit log is append-only, for the owner too (the app's role has no UPDATE or DELETE on it).
-- Until issue 17 migrations defined it, last 0003_access.sql; this file is now its one definition.
CREATE OR REPLACE FUNCTION public.audit_log_is_append_only()
RETURNS trigger
LANGUAGE plpgsql
AS $function$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$function$;
