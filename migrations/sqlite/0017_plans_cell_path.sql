-- See the PostgreSQL migration of the same number: a cell's plan carries the cell's path, so
-- the dashboard's totals read the plans of the year alone (SQLite has no INCLUDE: the same keys,
-- so both folders build the same schema).
ALTER TABLE plans ADD COLUMN cell_path TEXT CHECK (length(cell_path) <= 1000);
UPDATE plans SET cell_path = (SELECT o.path FROM orgs o WHERE o.id = plans.org_id AND o.kind = 'cell');
CREATE INDEX plans_year_cell_path ON plans (year, cell_path) WHERE cell_path IS NOT NULL;
CREATE INDEX orgs_cell_paths ON orgs (path) WHERE kind = 'cell';
-- A plan takes a mandated topic in once (domain::mandate::includes): kept by the database, so
-- that the dashboard counts the cells that took a topic in by counting their topics, without
-- the DISTINCT that made PostgreSQL sort 127,000 rows at the root of a national tree.
CREATE UNIQUE INDEX topics_mandated_once ON topics (plan_id, mandated_topic_id)
    WHERE mandated_topic_id IS NOT NULL;
