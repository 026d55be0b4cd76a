-- The nightly prune deletes delivery records by age.
CREATE INDEX mail_deliveries_updated ON mail_deliveries(updated_at);
