ALTER TABLE tenants DROP COLUMN staff_languages;
