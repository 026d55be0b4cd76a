-- A failing job retries until a time, not for a number of attempts: a lead
-- email keeps trying for days, so a weekend mail outage loses nothing
-- (issue 10). `give_up_at` is set on enqueue from the kind's retry window;
-- `max_attempts` is no longer read (kept so an instance of the previous
-- version can still enqueue while it is being replaced). Jobs stored before
-- this migration get their kind's window from their creation. A row written
-- by the previous version never gives up by time (the safe side).
-- Keep in step with the other tree.
ALTER TABLE jobs ADD COLUMN give_up_at TIMESTAMP NOT NULL DEFAULT '9999-12-31 00:00:00';
UPDATE jobs SET give_up_at = datetime(created_at, CASE kind
    WHEN 'lead_notification' THEN '+5 days'
    WHEN 'call_summary_email' THEN '+2 days'
    ELSE '+1 days' END);

-- The age of the oldest due job, reported by /readyz.
CREATE INDEX jobs_queued_run_at ON jobs(run_at) WHERE status = 'queued';
