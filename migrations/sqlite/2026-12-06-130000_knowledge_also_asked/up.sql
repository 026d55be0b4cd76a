-- Other ways callers ask a knowledge question (the tenant file's
-- `also_asked`), as a JSON array of strings. Keep in step with the other tree.
ALTER TABLE knowledge_entries ADD COLUMN also_asked TEXT NOT NULL DEFAULT '[]';
