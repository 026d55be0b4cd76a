-- Job payloads name the tenant whose data they are about, so a job reads
-- that data scoped to its tenant. Pending jobs enqueued before this version
-- get the tenant of their call or lead. Keep in step with the other tree.
UPDATE jobs
SET payload = json_set(payload, '$.tenant_id',
    (SELECT calls.tenant_id FROM calls WHERE calls.id = json_extract(jobs.payload, '$.call_id')))
WHERE kind IN ('summarize_call', 'call_summary_email') AND status IN ('queued', 'running');

UPDATE jobs
SET payload = json_set(payload, '$.tenant_id',
    (SELECT leads.tenant_id FROM leads WHERE leads.id = json_extract(jobs.payload, '$.lead_id')))
WHERE kind = 'lead_notification' AND status IN ('queued', 'running');
