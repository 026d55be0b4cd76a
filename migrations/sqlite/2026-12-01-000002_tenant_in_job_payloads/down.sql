-- Older versions ignore the payloads' tenant_id field: nothing to undo.
SELECT 1;
