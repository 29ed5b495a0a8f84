-- Data intake (issue 19): boundaries. A commit inserts and updates grids and communities (through
-- import_area_write, which checks the caller's scope), kept in import_change like the records.
ALTER TABLE import_change DROP CONSTRAINT import_change_table_name_check;
ALTER TABLE import_change ADD CONSTRAINT import_change_table_name_check
	CHECK (table_name IN ('building', 'household', 'person', 'grid', 'community'));
