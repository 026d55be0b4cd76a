-- The LLM model the tenant's calls use instead of the installation's
-- OPENAI_MODEL; NULL means the installation's. Keep in step with the other tree.
ALTER TABLE tenants ADD COLUMN llm_model TEXT;
