-- Home observation and services from the phone (issue 18): an observation started with its reason
-- and ended early (released, transferred) at a recorded time; the twice-daily health check, one row
-- per member checked; a service task marked missed with its reason.

ALTER TABLE observation ADD COLUMN reason text CHECK (length(reason) BETWEEN 1 AND 100);
-- When it was ended from the phone. Rows without it keep their old meaning: 'transferred' with no
-- end time never counted as home observation (the demo's transfers); one ended from the phone
-- counted until its end date.
ALTER TABLE observation ADD COLUMN ended_at timestamptz;

ALTER TABLE service_task ADD COLUMN missed_at timestamptz;
ALTER TABLE service_task ADD COLUMN missed_reason text CHECK (length(missed_reason) BETWEEN 1 AND 100);
ALTER TABLE service_task ADD CONSTRAINT service_task_done_or_missed
	CHECK ((missed_at IS NULL) = (missed_reason IS NULL) AND (done_at IS NULL OR missed_at IS NULL));

CREATE TABLE health_check (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	household_id   int NOT NULL REFERENCES household (id),
	observation_id int NOT NULL REFERENCES observation (id),
	person_id      int NOT NULL REFERENCES person (id),
	checked_at     timestamptz NOT NULL,
	temperature    numeric(3, 1) NOT NULL CHECK (temperature BETWEEN 34 AND 43),
	symptoms       text[] NOT NULL DEFAULT '{}'
		CHECK (symptoms <@ ARRAY['fever', 'cough', 'sore_throat', 'fatigue', 'breathless', 'diarrhoea', 'smell_taste']::text[])
);
CREATE INDEX health_check_household_idx ON health_check (household_id, checked_at);
CREATE INDEX health_check_observation_idx ON health_check (observation_id);
CREATE TRIGGER health_check_assign_area BEFORE INSERT OR UPDATE OF household_id ON health_check
	FOR EACH ROW EXECUTE FUNCTION assign_area_from_household();
ALTER TABLE health_check ENABLE ROW LEVEL SECURITY;
ALTER TABLE health_check FORCE ROW LEVEL SECURITY;
CREATE POLICY health_check_scoped ON health_check
	USING (scope_allows(subdistrict_id, grid_id)) WITH CHECK (scope_allows(subdistrict_id, grid_id));
GRANT SELECT, INSERT ON health_check TO gridwatch_app;
GRANT USAGE ON SEQUENCE health_check_id_seq TO gridwatch_app;
