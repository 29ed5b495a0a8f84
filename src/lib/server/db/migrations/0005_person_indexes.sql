-- Lookups by person (retention, one-person-one-file views) must not scan whole tables.
CREATE INDEX observation_person_idx ON observation (person_id);
CREATE INDEX observation_household_idx ON observation (household_id);
