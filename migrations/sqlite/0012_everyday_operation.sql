-- Everyday operation (issue 13).
--
-- 1. Search that ignores diacritics: each searchable name is stored a second time as its search
--    key (domain::text::search_key: lower case, marks removed, đ → d), written by the app with
--    every write of the name. SQLite has no unaccent, and PostgreSQL's would not fold exactly
--    like the Rust code, so the rows written before this migration keep NULL here and are
--    filled by the app itself right after migrating (db::search_keys::fill), the same way on
--    both databases. The indexes put the key beside what a search is scoped by: the subtree's
--    path for the dashboard, the cell for its members.
ALTER TABLE orgs ADD COLUMN name_key TEXT;
ALTER TABLE members ADD COLUMN name_key TEXT;
ALTER TABLE users ADD COLUMN name_key TEXT;
CREATE INDEX orgs_path_name_key ON orgs (path, name_key);
CREATE INDEX members_cell_name_key ON members (cell_id, name_key);
CREATE INDEX users_name_key ON users (name_key);
-- What is left to key, found at every start without scanning the tables (empty once filled).
CREATE INDEX orgs_unkeyed ON orgs (id) WHERE name_key IS NULL;
CREATE INDEX members_unkeyed ON members (id) WHERE name_key IS NULL;
CREATE INDEX users_unkeyed ON users (id) WHERE name_key IS NULL;
CREATE TRIGGER orgs_name_key_length_insert BEFORE INSERT ON orgs
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'orgs.name_key longer than 600 characters'); END;
CREATE TRIGGER orgs_name_key_length_update BEFORE UPDATE ON orgs
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'orgs.name_key longer than 600 characters'); END;
CREATE TRIGGER members_name_key_length_insert BEFORE INSERT ON members
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'members.name_key longer than 600 characters'); END;
CREATE TRIGGER members_name_key_length_update BEFORE UPDATE ON members
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'members.name_key longer than 600 characters'); END;
CREATE TRIGGER users_name_key_length_insert BEFORE INSERT ON users
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'users.name_key longer than 600 characters'); END;
CREATE TRIGGER users_name_key_length_update BEFORE UPDATE ON users
WHEN length(NEW.name_key) > 600
BEGIN SELECT RAISE(ABORT, 'users.name_key longer than 600 characters'); END;

-- 5. Reminders follow changes: a reminder records the due date it was sent for, so a step
--    whose date moved afterwards is reminded again for the new one. Reminders sent before
--    this migration were for the date the step has now.
ALTER TABLE due_reminders ADD COLUMN due_on DATE;
ALTER TABLE due_reminders ADD COLUMN due_exact BOOLEAN;
UPDATE due_reminders SET
    due_on = (SELECT s.due_on FROM steps s WHERE s.id = due_reminders.step_id),
    due_exact = (SELECT s.due_exact FROM steps s WHERE s.id = due_reminders.step_id);
