-- Throttled sign-ins are counted, not each audited (issue 16 item 6): one row per address and
-- 15-minute window holds how many attempts were refused; the audit log gets one line when an
-- address is first throttled in a window.
CREATE TABLE signin_throttled (
	address       text NOT NULL,
	window_start  timestamptz NOT NULL,
	attempts      int NOT NULL DEFAULT 1,
	last_at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (address, window_start)
);

-- Handled by the server as its connection user, like signin_attempt.
REVOKE ALL ON signin_throttled FROM gridwatch_app;
