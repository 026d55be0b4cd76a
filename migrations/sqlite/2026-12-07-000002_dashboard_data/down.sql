DROP INDEX leads_tenant_status;
DROP INDEX jobs_dead_finished;
