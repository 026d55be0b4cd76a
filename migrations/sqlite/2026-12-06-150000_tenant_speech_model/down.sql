ALTER TABLE tenants DROP COLUMN speech_model;
