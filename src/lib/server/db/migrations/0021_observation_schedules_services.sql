-- Starting a home observation schedules the household's services (health visits, garbage,
-- groceries); ending it early removes those not yet due, which will not happen (issue 18).
GRANT DELETE ON service_task TO gridwatch_app;
