-- The committee dashboard on a national tree (issue "National scale"): indexes shaped like its
-- statements, measured with `CHUYENDE_BENCH_SCALE=national cargo bench --bench dashboard`
-- (see README, "Benchmarks").
--
-- The page of rows walks the subtree's cells in name order and stops at the page: a partial
-- index of the cells by (name, id), carrying path and parent, lets the root's first page read
-- 50 index entries instead of sorting 300,000 names.
CREATE INDEX orgs_cells_name ON orgs (name, id) INCLUDE (path, parent_id) WHERE kind = 'cell';
-- The totals and the export scan the subtree's cells by path and look up each cell's plan of
-- the year: both from the index alone.
CREATE INDEX orgs_cells_path ON orgs (path) INCLUDE (id, name, parent_id, name_key) WHERE kind = 'cell';
CREATE INDEX plans_org_year_cover ON plans (org_id, year) INCLUDE (id, status, submitted_at);
-- The mandated topics' counts read only the topics that were pulled from a directive plan.
CREATE INDEX topics_mandated_plan ON topics (mandated_topic_id, plan_id) WHERE mandated_topic_id IS NOT NULL;
-- A commune's path range holds a few dozen rows among 300,000: with the default statistics
-- PostgreSQL sometimes guessed one row and re-ran the export's per-plan figures per row.
ALTER TABLE orgs ALTER COLUMN path SET STATISTICS 1000;
