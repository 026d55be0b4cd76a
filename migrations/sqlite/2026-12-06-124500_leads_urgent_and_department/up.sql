-- A message can be urgent (the caller's problem is the business's own urgent
-- work) and meant for a department; the notification email says both.
-- Keep in step with the other tree.
ALTER TABLE leads ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE leads ADD COLUMN department TEXT;
