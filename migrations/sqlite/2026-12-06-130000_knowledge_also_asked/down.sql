ALTER TABLE knowledge_entries DROP COLUMN also_asked;
