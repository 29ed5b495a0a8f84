-- Frontline capture (issue 18): the addresses people use, the list of key areas, and idempotent writes.

-- Buildings carry their number in the compound (文渊名邸 3幢), or in their grid outside a compound
-- (12号); households their unit and room (2单元302室). Rows written before this migration are
-- numbered the way the demo numbers them: buildings by code within their compound (or grid), and a
-- household coded B0001-0302 (floor 03, second along the floor) is unit 1, room 302.
ALTER TABLE building ADD COLUMN number int CHECK (number > 0);
ALTER TABLE household ADD COLUMN unit int CHECK (unit > 0);
ALTER TABLE household ADD COLUMN room text CHECK (room ~ '^[0-9A-Za-z-]{1,8}$');

UPDATE building b SET number = n.number
FROM (
	SELECT id, row_number() OVER (PARTITION BY compound_id, CASE WHEN compound_id IS NULL THEN grid_id END ORDER BY code)::int AS number
	FROM building
) n
WHERE n.id = b.id;

UPDATE household
SET unit = (substring(code FROM '-\d{2}(\d{2})$')::int - 1) / 2 + 1,
    room = substring(code FROM '-(\d{2})\d{2}$')::int::text || lpad((((substring(code FROM '-\d{2}(\d{2})$')::int - 1) % 2) + 1)::text, 2, '0')
WHERE code ~ '-\d{4}$' AND substring(code FROM '-\d{2}(\d{2})$')::int > 0;

CREATE UNIQUE INDEX building_number_in_compound ON building (compound_id, number) WHERE compound_id IS NOT NULL;
CREATE INDEX household_building ON household (building_id);

-- Origins that make a returnee a key-area arrival (重点地区), maintained by an admin: an origin
-- starting with one of these (湖北省, 浙江省温州市) is flagged.
CREATE TABLE key_area (
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	origin         text NOT NULL CHECK (length(origin) BETWEEN 2 AND 40),
	added_at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (subdistrict_id, origin)
);
GRANT SELECT ON key_area TO gridwatch_app;

-- Idempotent writes: a phone retrying a submission sends the same Idempotency-Key and gets the
-- first answer back, written once. Keys are the user's own and are kept 24 hours.
CREATE TABLE idempotent_request (
	user_id      int NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	key          text NOT NULL CHECK (length(key) BETWEEN 8 AND 200),
	route        text NOT NULL,
	request_hash text NOT NULL,
	status       int NOT NULL,
	answer       jsonb NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotent_request_created ON idempotent_request (created_at);
-- Written in the same transaction as the write it answers, as the request role.
GRANT SELECT, INSERT, DELETE ON idempotent_request TO gridwatch_app;
