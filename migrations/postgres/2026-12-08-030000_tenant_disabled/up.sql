-- A disabled tenant's numbers answer that the business cannot take calls
-- (the super admin's tenants page). Keep in step with the other tree.
ALTER TABLE tenants ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
