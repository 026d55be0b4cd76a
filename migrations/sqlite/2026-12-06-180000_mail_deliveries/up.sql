-- One row per recipient of an email job: each recipient is its own
-- delivery with its own outcome, so one refused address never blocks the
-- others and a retried job sends only to those not settled yet. `job_key`
-- is the job's unique key (`lead-email:42`), which also names the email's
-- Message-ID. Keep in step with the other tree.
CREATE TABLE mail_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    job_key TEXT NOT NULL,
    recipient TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'rejected')),
    attempts INTEGER NOT NULL,
    last_error TEXT,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (job_key, recipient)
);
CREATE INDEX mail_deliveries_tenant ON mail_deliveries(tenant_id);
