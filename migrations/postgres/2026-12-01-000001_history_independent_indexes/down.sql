DROP INDEX jobs_status_finished;
DROP INDEX jobs_status_locked;
CREATE INDEX jobs_running_locked ON jobs(locked_at) WHERE status = 'running';
DROP INDEX calls_status_updated;
DROP INDEX calls_tenant_active_started;
CREATE INDEX calls_tenant_active ON calls(tenant_id) WHERE ended_at IS NULL;
