-- 横向查重 (issue 19): persons that are probably the same, found without storing a name or a phone.
-- name_keys: keyed hashes (the server secret) of the name as written and of each form of it with one
-- character left out (two names one typo apart share one); phone_hash: the keyed hash of the phone's
-- digits. NULL for persons written before this migration (their masks are compared instead).
ALTER TABLE person ADD COLUMN name_keys text[];
ALTER TABLE person ADD COLUMN phone_hash text;
CREATE INDEX person_phone_hash_idx ON person (subdistrict_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX person_name_keys_idx ON person USING gin (name_keys);

-- A pair a data officer decided are two people: no longer listed.
CREATE TABLE person_apart (
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	person_a       int NOT NULL REFERENCES person (id) ON DELETE CASCADE,
	person_b       int NOT NULL REFERENCES person (id) ON DELETE CASCADE,
	decided_by     int NOT NULL REFERENCES app_user (id),
	decided_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_a, person_b),
	CHECK (person_a < person_b)
);

-- A merge: the merged person's records moved to the kept one and the merged row removed, both kept
-- here so that the merge can be undone.
CREATE TABLE person_merge (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	kept_id        int NOT NULL REFERENCES person (id),
	merged_id      int NOT NULL,
	-- The merged person's row as it was (to_jsonb of person).
	merged_row     jsonb NOT NULL,
	-- The kept person's columns the merge changed, as they were.
	kept_before    jsonb NOT NULL,
	-- Ids of the records moved: {"screening": [...], "observation": [...], "health_check": [...]}.
	moved          jsonb NOT NULL,
	rule           text NOT NULL CHECK (rule IN ('name_phone', 'similar_name_phone', 'similar_name_address', 'masked_name_phone')),
	merged_by      int NOT NULL REFERENCES app_user (id),
	merged_at      timestamptz NOT NULL DEFAULT now(),
	undone_by      int REFERENCES app_user (id),
	undone_at      timestamptz
);
CREATE INDEX person_merge_recent ON person_merge (subdistrict_id, merged_at DESC);
-- An ID number merged into someone else: later registers and forms find the kept person by it.
CREATE INDEX person_merge_id_hash ON person_merge (subdistrict_id, (merged_row->>'id_hash')) WHERE undone_at IS NULL;

GRANT SELECT, INSERT, DELETE ON person_apart TO gridwatch_app;
-- DELETE: the retention purge removes a purged person's merges (they hold the merged row).
GRANT SELECT, INSERT, UPDATE, DELETE ON person_merge TO gridwatch_app;
GRANT USAGE ON SEQUENCE person_merge_id_seq TO gridwatch_app;
-- A merge moves health checks to the kept person (the other tables naming persons allow UPDATE already).
GRANT UPDATE (person_id) ON health_check TO gridwatch_app;
CREATE POLICY health_check_move_whole_subdistrict ON health_check AS RESTRICTIVE FOR UPDATE
	USING (scope_allows(subdistrict_id, NULL));

-- Decisions and merges belong to the whole subdistrict's scope (data officers, administrators).
ALTER TABLE person_apart ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_apart_scoped ON person_apart USING (scope_allows(subdistrict_id, NULL)) WITH CHECK (scope_allows(subdistrict_id, NULL));
ALTER TABLE person_merge ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_merge_scoped ON person_merge USING (scope_allows(subdistrict_id, NULL)) WITH CHECK (scope_allows(subdistrict_id, NULL));
