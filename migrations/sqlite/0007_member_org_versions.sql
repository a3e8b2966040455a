-- Members and units carry a version like plans: bumped by every saved change, carried by the
-- edit form, so that a save drawn from an older version is refused instead of overwriting.
ALTER TABLE members ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE orgs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
