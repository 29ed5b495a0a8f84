-- Sign-in sessions (server-side), sign-in attempts (throttling), wall-screen tokens, settings.

CREATE TABLE user_session (
	id_hash       text PRIMARY KEY,           -- SHA-256 of the cookie's token; the token itself is never stored
	user_id       int NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	created_at    timestamptz NOT NULL DEFAULT now(),
	last_seen_at  timestamptz NOT NULL DEFAULT now(),
	expires_at    timestamptz NOT NULL,       -- absolute limit
	revoked_at    timestamptz,
	address       text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

CREATE TABLE signin_attempt (
	id        bigserial PRIMARY KEY,
	username  text NOT NULL,
	address   text NOT NULL,
	at        timestamptz NOT NULL DEFAULT now(),
	succeeded boolean NOT NULL
);
CREATE INDEX signin_attempt_username_idx ON signin_attempt (username, at);
CREATE INDEX signin_attempt_address_idx ON signin_attempt (address, at);

CREATE TABLE wall_token (
	id_hash        text PRIMARY KEY,
	subdistrict_id int NOT NULL REFERENCES subdistrict (id),
	label          text NOT NULL,
	created_by     int REFERENCES app_user (id),
	created_at     timestamptz NOT NULL DEFAULT now(),
	revoked_at     timestamptz,
	-- counts 1 … k−1 are shown as "<k"; 0 or 1 means no suppression
	suppress_below int NOT NULL DEFAULT 0 CHECK (suppress_below >= 0)
);

CREATE TABLE app_setting (
	key        text PRIMARY KEY,
	value      jsonb NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Sessions, attempts, tokens and settings are handled by the server as its connection user;
-- the app's request role gets nothing of them.
REVOKE ALL ON user_session, signin_attempt, wall_token, app_setting FROM gridwatch_app;
