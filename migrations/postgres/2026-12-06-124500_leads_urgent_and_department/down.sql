ALTER TABLE leads DROP COLUMN department;
ALTER TABLE leads DROP COLUMN urgent;
