DROP INDEX jobs_done_finished;
DROP INDEX calls_status_updated;
DROP INDEX calls_tenant_active_started;
CREATE INDEX calls_tenant_active ON calls(tenant_id) WHERE ended_at IS NULL;
