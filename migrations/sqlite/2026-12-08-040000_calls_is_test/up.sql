-- A call placed from the dashboard's test call page (the owner typing to
-- their own receptionist) rather than by a caller on the phone. It runs the
-- same conversation and leaves the same lead and emails, but takes none of
-- the business's lines and is left out of its figures. Keep in step with
-- the other tree.
ALTER TABLE calls ADD COLUMN is_test BOOLEAN NOT NULL DEFAULT FALSE;
