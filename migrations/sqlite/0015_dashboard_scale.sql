-- The committee dashboard on a large tree (issue "National scale"); see the PostgreSQL
-- migration of the same number, whose indexes these mirror (SQLite has no INCLUDE: the same
-- keys, so both folders build the same schema).
CREATE INDEX orgs_cells_name ON orgs (name, id) WHERE kind = 'cell';
CREATE INDEX orgs_cells_path ON orgs (path) WHERE kind = 'cell';
CREATE INDEX plans_org_year_cover ON plans (org_id, year);
CREATE INDEX topics_mandated_plan ON topics (mandated_topic_id, plan_id) WHERE mandated_topic_id IS NOT NULL;
