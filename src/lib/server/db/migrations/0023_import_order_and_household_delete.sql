-- Data intake (issue 19), after review: batches are ordered by when they were committed (a batch
-- dry-run first may commit last), and deleting a household — only an import's rollback does — needs
-- a scope over the whole subdistrict (0022's grant let a grid leader's scope delete in its grids).
CREATE SEQUENCE import_commit_seq;
ALTER TABLE import_batch ADD COLUMN commit_seq bigint;
GRANT USAGE ON SEQUENCE import_commit_seq TO gridwatch_app;

CREATE POLICY household_delete_whole_subdistrict ON household AS RESTRICTIVE FOR DELETE
	USING (scope_allows(subdistrict_id, NULL));
