-- Areas, records and the per-grid per-day rollup. EPSG:4326 everywhere, [lng, lat].
-- Every table carries subdistrict_id so that a city deployment can hold many subdistricts
-- (and, past one machine, be distributed by it).

CREATE TABLE subdistrict (
	id          serial PRIMARY KEY,
	code        text NOT NULL UNIQUE,
	name        text NOT NULL,
	name_en     text NOT NULL,
	geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX subdistrict_geom_idx ON subdistrict USING gist (geom);

CREATE TABLE community (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	code           text NOT NULL,
	name           text NOT NULL,
	name_en        text NOT NULL,
	geom           geometry(MultiPolygon, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX community_geom_idx ON community USING gist (geom);

CREATE TABLE grid (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int NOT NULL REFERENCES community (id),
	code           text NOT NULL,
	name           text NOT NULL,
	geom           geometry(MultiPolygon, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX grid_geom_idx ON grid USING gist (geom);
CREATE INDEX grid_community_idx ON grid (community_id);

CREATE TABLE compound (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int NOT NULL REFERENCES community (id),
	code           text NOT NULL,
	name           text NOT NULL,
	geom           geometry(Polygon, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX compound_geom_idx ON compound USING gist (geom);

-- Point records. grid_id and community_id are filled by a spatial join when the row is
-- written (trigger assign_area below), so reads group by a stored key.
CREATE TABLE building (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	compound_id    int REFERENCES compound (id),
	code           text NOT NULL,
	floors         int NOT NULL CHECK (floors > 0),
	geom           geometry(Point, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX building_geom_idx ON building USING gist (geom);
CREATE INDEX building_grid_idx ON building (grid_id);

CREATE TABLE household (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	building_id    int REFERENCES building (id),
	code           text NOT NULL,
	members        int NOT NULL CHECK (members >= 0),
	geom           geometry(Point, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX household_geom_idx ON household USING gist (geom);
CREATE INDEX household_grid_idx ON household (grid_id);

-- 一人一档: one row per person. No raw ID number is stored: id_hash is a keyed hash
-- (for finding the same person across communities); names and phones are stored masked.
CREATE TABLE person (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	household_id   int NOT NULL REFERENCES household (id),
	name_masked    text NOT NULL,
	phone_masked   text,
	id_hash        text NOT NULL,
	origin         text NOT NULL,
	key_area       boolean NOT NULL DEFAULT false,
	returnee       boolean NOT NULL DEFAULT false,
	arrival_date   date,
	UNIQUE (subdistrict_id, id_hash),
	CHECK (NOT returnee OR arrival_date IS NOT NULL)
);
CREATE INDEX person_grid_idx ON person (grid_id);
CREATE INDEX person_household_idx ON person (household_id);

CREATE TABLE staff (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int NOT NULL REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	code           text NOT NULL,
	kind           text NOT NULL CHECK (kind IN ('cadre', 'social_worker', 'property', 'volunteer', 'party_member')),
	name_masked    text NOT NULL,
	phone_masked   text,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX staff_grid_idx ON staff (grid_id);

CREATE TABLE screening (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	person_id      int NOT NULL REFERENCES person (id),
	staff_id       int REFERENCES staff (id),
	screened_at    timestamptz NOT NULL,
	method         text NOT NULL CHECK (method IN ('door', 'phone', 'checkpoint')),
	result         text NOT NULL CHECK (result IN ('normal', 'fever', 'referred'))
);
CREATE INDEX screening_grid_idx ON screening (grid_id, screened_at);
CREATE INDEX screening_person_idx ON screening (person_id);

-- Home medical observation (居家医学观察): 14 days, start ≤ day < end.
CREATE TABLE observation (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	household_id   int NOT NULL REFERENCES household (id),
	person_id      int NOT NULL REFERENCES person (id),
	start_date     date NOT NULL,
	end_date       date NOT NULL,
	status         text NOT NULL CHECK (status IN ('active', 'released', 'transferred')),
	CHECK (end_date > start_date)
);
CREATE INDEX observation_grid_idx ON observation (grid_id, start_date, end_date);

CREATE TABLE service_task (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	household_id   int NOT NULL REFERENCES household (id),
	kind           text NOT NULL CHECK (kind IN ('visit', 'garbage', 'delivery')),
	due_at         timestamptz NOT NULL,
	done_at        timestamptz
);
CREATE INDEX service_task_grid_idx ON service_task (grid_id, due_at);

CREATE TABLE checkpoint (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	compound_id    int REFERENCES compound (id),
	code           text NOT NULL,
	name           text NOT NULL,
	kind           text NOT NULL CHECK (kind IN ('gate', 'building', 'road')),
	required_staff int NOT NULL CHECK (required_staff > 0),
	-- hours a day the post is held, in 8-hour shifts from 06:00: 16 = day and evening, 24 = all three
	hours_per_day  int NOT NULL CHECK (hours_per_day IN (8, 16, 24)),
	opens_on       date NOT NULL,
	closes_on      date,
	geom           geometry(Point, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX checkpoint_geom_idx ON checkpoint USING gist (geom);
CREATE INDEX checkpoint_grid_idx ON checkpoint (grid_id);

-- One row per person on duty at a checkpoint for one shift.
CREATE TABLE shift (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	checkpoint_id  int NOT NULL REFERENCES checkpoint (id),
	staff_id       int NOT NULL REFERENCES staff (id),
	starts_at      timestamptz NOT NULL,
	ends_at        timestamptz NOT NULL,
	checked_in     boolean NOT NULL DEFAULT false,
	CHECK (ends_at > starts_at)
);
CREATE INDEX shift_checkpoint_idx ON shift (checkpoint_id, starts_at);
CREATE INDEX shift_grid_idx ON shift (grid_id, starts_at);

CREATE TABLE enterprise (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	code           text NOT NULL,
	name           text NOT NULL,
	staff_total    int NOT NULL CHECK (staff_total >= 0),
	staff_arrived  int NOT NULL DEFAULT 0 CHECK (staff_arrived >= 0),
	resumed_on     date,
	geom           geometry(Point, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX enterprise_geom_idx ON enterprise USING gist (geom);
CREATE INDEX enterprise_grid_idx ON enterprise (grid_id);

CREATE TABLE project (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	community_id   int REFERENCES community (id),
	grid_id        int REFERENCES grid (id),
	code           text NOT NULL,
	name           text NOT NULL,
	staff_expected int NOT NULL CHECK (staff_expected >= 0),
	staff_arrived  int NOT NULL DEFAULT 0 CHECK (staff_arrived >= 0),
	progress_pct   numeric(5, 1) NOT NULL DEFAULT 0,
	resumed_on     date,
	geom           geometry(Point, 4326) NOT NULL,
	UNIQUE (subdistrict_id, code)
);
CREATE INDEX project_geom_idx ON project USING gist (geom);

-- A community's reported totals for one day; "no report" is a missing row, not zeros.
CREATE TABLE daily_report (
	id                  serial PRIMARY KEY,
	subdistrict_id      int NOT NULL REFERENCES subdistrict (id),
	community_id        int NOT NULL REFERENCES community (id),
	report_date         date NOT NULL,
	reported_at         timestamptz NOT NULL,
	observed_households int NOT NULL,
	observed_persons    int NOT NULL,
	screened_today      int NOT NULL,
	UNIQUE (community_id, report_date)
);

-- One row per grid per day with every metric; rebuilt by refresh_grid_day().
CREATE TABLE grid_day (
	subdistrict_id        int NOT NULL REFERENCES subdistrict (id),
	community_id          int NOT NULL REFERENCES community (id),
	grid_id               int NOT NULL REFERENCES grid (id),
	day                   date NOT NULL,
	households_registered int NOT NULL,
	residents_registered  int NOT NULL,
	observed_households   int NOT NULL,
	observed_persons      int NOT NULL,
	observed_households_cum int NOT NULL,
	observed_persons_cum  int NOT NULL,
	returnees_due         int NOT NULL,
	returnees_screened    int NOT NULL,
	screened_today        int NOT NULL,
	persons_screened_cum  int NOT NULL,
	key_area_screened_cum int NOT NULL,
	overdue_screenings    int NOT NULL,
	checkpoints_open      int NOT NULL,
	required_shift_hours  int NOT NULL,
	staffed_shift_hours   int NOT NULL,
	understaffed_shifts   int NOT NULL,
	staff_on_duty         int NOT NULL,
	tasks_due             int NOT NULL,
	tasks_overdue         int NOT NULL,
	enterprises           int NOT NULL,
	enterprises_resumed   int NOT NULL,
	last_report_date      date,
	last_report_at        timestamptz,
	PRIMARY KEY (grid_id, day)
);
CREATE INDEX grid_day_day_idx ON grid_day (subdistrict_id, day);
