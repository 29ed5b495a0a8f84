-- Data intake (issue 19): the returnee register. A commit inserts and updates persons, kept in
-- import_change like households; a rollback deletes the persons it added, which — like deleting a
-- household — needs a scope over the whole subdistrict.
ALTER TABLE import_change DROP CONSTRAINT import_change_table_name_check;
ALTER TABLE import_change ADD CONSTRAINT import_change_table_name_check
	CHECK (table_name IN ('building', 'household', 'person'));
CREATE INDEX import_change_row ON import_change (table_name, row_id);
-- Deleting a person checks that no health check names them (the other tables naming persons have this index).
CREATE INDEX health_check_person_idx ON health_check (person_id);

GRANT DELETE ON person TO gridwatch_app;
CREATE POLICY person_delete_whole_subdistrict ON person AS RESTRICTIVE FOR DELETE
	USING (scope_allows(subdistrict_id, NULL));
