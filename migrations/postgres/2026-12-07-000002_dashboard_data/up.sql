-- The dashboard's queries (issue 11). Keep in step with the other tree.
-- Email health lists the dead email jobs of the last 30 days; dead jobs are
-- kept, so without this it would read every one ever.
CREATE INDEX jobs_dead_finished ON jobs(finished_at) WHERE status = 'dead';
-- The lead list and the overview filter a tenant's leads by status.
CREATE INDEX leads_tenant_status ON leads(tenant_id, status, created_at);
