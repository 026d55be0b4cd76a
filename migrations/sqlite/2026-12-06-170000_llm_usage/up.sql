-- One row per LLM completion (a turn's reading of the caller, or a call's
-- summary): the model, the tokens it cost, how long it took and how it
-- ended, so cost and latency can be told per tenant and per call. Holds no
-- caller words. Keep in step with the other tree.
CREATE TABLE llm_usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id BIGINT REFERENCES calls(id) ON DELETE CASCADE,
    turn_seq INTEGER,
    purpose TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX llm_usage_call ON llm_usage(call_id);
