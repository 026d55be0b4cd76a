-- Job payloads name the tenant whose data they are about, so a job reads
-- that data scoped to its tenant. Pending jobs enqueued before this version
-- get the tenant of their call or lead. Keep in step with the other tree.
UPDATE jobs
SET payload = jsonb_set(jobs.payload::jsonb, '{tenant_id}', to_jsonb(calls.tenant_id))::text
FROM calls
WHERE calls.id = (jobs.payload::jsonb ->> 'call_id')::bigint
  AND jobs.kind IN ('summarize_call', 'call_summary_email') AND jobs.status IN ('queued', 'running');

UPDATE jobs
SET payload = jsonb_set(jobs.payload::jsonb, '{tenant_id}', to_jsonb(leads.tenant_id))::text
FROM leads
WHERE leads.id = (jobs.payload::jsonb ->> 'lead_id')::bigint
  AND jobs.kind = 'lead_notification' AND jobs.status IN ('queued', 'running');
