-- Data intake (issue 19): every import is a batch — a dry run kept with its parsed rows until it is
-- committed (all or nothing) — and every row a commit wrote or changed is kept with what it was
-- before, so a batch can be rolled back while nothing depends on it.
CREATE TABLE import_batch (
	id             serial PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	kind           text NOT NULL CHECK (kind ~ '^[a-z_]{2,40}$'),
	file_name      text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
	file_hash      text NOT NULL CHECK (file_hash ~ '^[0-9a-f]{64}$'),
	file_format    text NOT NULL,
	options        jsonb NOT NULL DEFAULT '{}',
	status         text NOT NULL CHECK (status IN ('dry_run', 'committed', 'rolled_back')),
	-- {"new": n, "updated": n, "unchanged": n, "rejected": n} of the dry run, then of the commit.
	counts         jsonb NOT NULL,
	-- The rows the dry run accepted, as the commit will write them (cleared once committed).
	rows           jsonb,
	-- The dry run's refusals: [{row, column, value, reason}] in the words of whoever ran it.
	errors         jsonb NOT NULL DEFAULT '[]',
	created_by     int NOT NULL REFERENCES app_user (id),
	created_at     timestamptz NOT NULL DEFAULT now(),
	committed_at   timestamptz,
	committed_by   int REFERENCES app_user (id),
	rolled_back_at timestamptz,
	rolled_back_by int REFERENCES app_user (id)
);
CREATE INDEX import_batch_recent ON import_batch (subdistrict_id, created_at DESC);

CREATE TABLE import_change (
	batch_id   int NOT NULL REFERENCES import_batch (id) ON DELETE CASCADE,
	seq        int NOT NULL,
	table_name text NOT NULL CHECK (table_name IN ('building', 'household')),
	row_id     int NOT NULL,
	-- NULL: the commit inserted the row; otherwise the columns it changed, as they were.
	before     jsonb,
	PRIMARY KEY (batch_id, seq)
);

GRANT SELECT, INSERT, UPDATE ON import_batch TO gridwatch_app;
GRANT SELECT, INSERT ON import_change TO gridwatch_app;
GRANT USAGE ON SEQUENCE import_batch_id_seq, building_id_seq TO gridwatch_app;
GRANT INSERT, UPDATE, DELETE ON building TO gridwatch_app;
GRANT DELETE ON household TO gridwatch_app;

-- Buildings were written only by the loader; an import writes them as the request role, and only
-- under a scope that holds the whole subdistrict (a grid leader's scope writes none). Everyone reads.
ALTER TABLE building ENABLE ROW LEVEL SECURITY;
CREATE POLICY building_read ON building FOR SELECT USING (true);
CREATE POLICY building_insert ON building FOR INSERT WITH CHECK (scope_allows(subdistrict_id, NULL));
CREATE POLICY building_update ON building FOR UPDATE USING (scope_allows(subdistrict_id, NULL)) WITH CHECK (scope_allows(subdistrict_id, NULL));
CREATE POLICY building_delete ON building FOR DELETE USING (scope_allows(subdistrict_id, NULL));

-- Batches: the subdistrict's own, under a whole-subdistrict scope.
ALTER TABLE import_batch ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_batch_scoped ON import_batch USING (scope_allows(subdistrict_id, NULL)) WITH CHECK (scope_allows(subdistrict_id, NULL));
ALTER TABLE import_change ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_change_scoped ON import_change USING (EXISTS (SELECT 1 FROM import_batch b WHERE b.id = batch_id)) WITH CHECK (EXISTS (SELECT 1 FROM import_batch b WHERE b.id = batch_id));
