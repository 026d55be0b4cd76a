-- Caller questions the receptionist could not answer, or answered with a
-- weak match, recorded after the call by the summary job. Deleted with their
-- call (retention) or tenant. Keep in step with the other tree.
CREATE TABLE unanswered_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    -- The best knowledge match when the call ended (0 when none matched).
    best_score REAL NOT NULL,
    -- The receptionist gave a (weakly matched) answer rather than none.
    answered BOOLEAN NOT NULL,
    asked_at TIMESTAMP NOT NULL
);
CREATE INDEX unanswered_questions_tenant ON unanswered_questions(tenant_id, asked_at);
CREATE INDEX unanswered_questions_call ON unanswered_questions(call_id);
