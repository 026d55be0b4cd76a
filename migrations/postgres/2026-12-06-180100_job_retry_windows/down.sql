DROP INDEX jobs_queued_run_at;
ALTER TABLE jobs DROP COLUMN give_up_at;
