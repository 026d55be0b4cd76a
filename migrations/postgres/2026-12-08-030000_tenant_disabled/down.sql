ALTER TABLE tenants DROP COLUMN disabled;
