-- Holidays and other closures: dates (first to last, inclusive, in the
-- tenant's time zone) on which the business is closed whatever its weekly
-- hours say. Keep in step with the other tree.
CREATE TABLE closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    name TEXT,
    CHECK (first_day <= last_day)
);
CREATE INDEX closures_tenant ON closures(tenant_id, first_day);
