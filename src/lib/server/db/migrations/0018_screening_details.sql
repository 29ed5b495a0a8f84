-- A screening recorded from the phone (issue 18) keeps the temperature taken and a short note.
ALTER TABLE screening ADD COLUMN temperature numeric(3, 1) CHECK (temperature BETWEEN 34 AND 43);
ALTER TABLE screening ADD COLUMN note text CHECK (length(note) <= 200);
