-- Sessions as an actix-session store: the cookie carries a random key, the
-- table only its SHA-256 (a leaked table cannot be replayed as cookies). A
-- session exists before sign-in (it carries the login form's CSRF token),
-- so user_id is nullable. The table was never used: nothing to carry over.
DROP TABLE sessions;
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Throttling counts failures by (email, time) and (ip, time), which the
-- existing indexes serve; old attempts are pruned by time.
CREATE INDEX login_attempts_time ON login_attempts(attempted_at);
