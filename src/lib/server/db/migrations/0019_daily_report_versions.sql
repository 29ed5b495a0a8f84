-- Community daily reports sent from Gridwatch (issue 18): figures prefilled from the records, confirmed
-- or corrected with a reason; a late report is marked late; a correction keeps every earlier version.
-- daily_report holds the current figures (what the map and the gap rules read); daily_report_version
-- every version as sent, append-only.
ALTER TABLE daily_report ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE daily_report ADD COLUMN late boolean NOT NULL DEFAULT false;
ALTER TABLE daily_report ADD COLUMN reported_by int REFERENCES app_user (id);

CREATE TABLE daily_report_version (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int NOT NULL REFERENCES community (id),
	report_date    date NOT NULL,
	version        int NOT NULL CHECK (version > 0),
	reported_at    timestamptz NOT NULL,
	reported_by    int REFERENCES app_user (id),
	late           boolean NOT NULL,
	figures        jsonb NOT NULL,
	prefilled      jsonb NOT NULL,
	reasons        jsonb NOT NULL DEFAULT '{}',
	UNIQUE (community_id, report_date, version)
);

GRANT INSERT ON daily_report TO gridwatch_app;
GRANT UPDATE (reported_at, observed_households, observed_persons, screened_today, version, late, reported_by) ON daily_report TO gridwatch_app;
GRANT SELECT, INSERT ON daily_report_version TO gridwatch_app;
GRANT USAGE ON SEQUENCE daily_report_version_id_seq, daily_report_id_seq TO gridwatch_app;
