-- Sessions end after SESSION_IDLE_MINUTES without a request, beside their 8-hour limit (issue 14).
ALTER TABLE session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
