ALTER TABLE tenants DROP COLUMN llm_model;
