-- The languages the tenant's staff speak besides English (ISO 639-1 codes as a JSON
-- array): a caller speaking one of them is put through while someone can
-- take the call. Keep in step with the other tree.
ALTER TABLE tenants ADD COLUMN staff_languages TEXT NOT NULL DEFAULT '[]';
