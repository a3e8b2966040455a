-- The committee dashboard's totals at national scale (issue "National scale"): a cell's plan
-- carries the cell's place in the tree, so that the counts of a subtree's plans per state, and
-- of the cells that took in each mandated topic, read the plans of the year alone — an
-- index-only range scan — instead of joining every cell of the subtree to its plan (at the
-- root of a 300,000-cell tree that join took ~200 ms a statement).
--
-- cell_path is orgs.path of the plan's org when that org is a cell, NULL for a committee's
-- plan. It is written with the plan (db::plans::write::insert) and rewritten with the paths
-- when a unit moves (db::org_move), in the same transactions.
ALTER TABLE plans ADD COLUMN cell_path TEXT CHECK (char_length(cell_path) <= 1000);
UPDATE plans SET cell_path = o.path FROM orgs o WHERE o.id = plans.org_id AND o.kind = 'cell';
CREATE INDEX plans_year_cell_path ON plans (year, cell_path) INCLUDE (status, org_id, id)
    WHERE cell_path IS NOT NULL;
-- The count of a subtree's cells, from an index of paths alone (orgs_cells_path carries names).
CREATE INDEX orgs_cell_paths ON orgs (path) WHERE kind = 'cell';
-- A plan takes a mandated topic in once (domain::mandate::includes): kept by the database, so
-- that the dashboard counts the cells that took a topic in by counting their topics, without
-- the DISTINCT that made PostgreSQL sort 127,000 rows at the root of a national tree.
CREATE UNIQUE INDEX topics_mandated_once ON topics (plan_id, mandated_topic_id)
    WHERE mandated_topic_id IS NOT NULL;
-- A search walks the cells in name order and tests each one's search key: the key travels in
-- the index of names too, so the page of a search reads the index alone.
DROP INDEX orgs_cells_name;
CREATE INDEX orgs_cells_name ON orgs (name, id) INCLUDE (path, parent_id, name_key) WHERE kind = 'cell';
