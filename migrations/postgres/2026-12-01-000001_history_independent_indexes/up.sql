-- Indexes that keep each statement of a call independent of how many calls
-- are stored (issue 7). Keep in step with the other backend's tree.

-- Admission counts a tenant's active calls started in the last two hours.
-- With only (tenant_id) on the active rows, SQLite chose calls_tenant_started
-- and read every call of the last two hours, ended or not; this index holds
-- only the active rows, already ordered by start time.
DROP INDEX calls_tenant_active;
CREATE INDEX calls_tenant_active_started ON calls(tenant_id, started_at) WHERE ended_at IS NULL;

-- The worker's search for calls whose final status never arrived (by status,
-- which it binds, so a partial index could not be proven to apply).
CREATE INDEX calls_status_updated ON calls(status, updated_at);

-- The purge of old done jobs (its status is written into the SQL, as the
-- rescue of expired leases now writes its own, so the partial indexes apply).
CREATE INDEX jobs_done_finished ON jobs(finished_at) WHERE status = 'done';
