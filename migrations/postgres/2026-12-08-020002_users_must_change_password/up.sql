-- An admin invited with a one-time password must choose their own at their
-- first sign-in. Keep in step with the other tree.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
