-- Model sessions (issue 10, seed 004): a committee's plan to stage exemplary cell meetings
-- (kế hoạch tổ chức sinh hoạt chi bộ mẫu), drafted by the committee's staff and issued.
-- The document's text parts (trích yếu, căn cứ, mục đích, yêu cầu, thành phần tham dự, tổ chức
-- thực hiện, nơi nhận, người ký) are one JSON value read and written whole with the plan
-- (domain::model_session::ModelPlanParts): they are only ever shown and printed together.
CREATE TABLE model_plans (
    id INTEGER PRIMARY KEY,
    -- The committee that stages the model sessions.
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    -- The year of the blank date line while the plan has no date.
    year INTEGER NOT NULL CHECK (year BETWEEN 1930 AND 2100),
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    -- Số n-KH/ĐU, through the committee's term like its other plans.
    term_start INTEGER NOT NULL,
    number_serial INTEGER,
    number_kind TEXT CHECK (length(number_kind) <= 50),
    number_issuer TEXT CHECK (length(number_issuer) <= 50),
    place TEXT NOT NULL CHECK (length(place) <= 200),
    issued_on DATE,
    parts TEXT NOT NULL CHECK (length(parts) <= 200000),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    issued_at TEXT,
    issued_by INTEGER REFERENCES users (id)
);
CREATE INDEX model_plans_org ON model_plans (org_id, id);
CREATE UNIQUE INDEX model_plans_number ON model_plans (org_id, term_start, number_kind, number_serial)
    WHERE number_serial IS NOT NULL;

-- One model meeting of a plan: which kind, which cell of the subtree hosts it, when and where.
CREATE TABLE model_sessions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES model_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'thematic')),
    host_org_id INTEGER NOT NULL REFERENCES orgs (id),
    held_on DATE NOT NULL,
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    venue TEXT NOT NULL CHECK (length(venue) BETWEEN 1 AND 200),
    address TEXT NOT NULL CHECK (length(address) <= 1000),
    -- A thematic model: its topic, linked to a topic of the host cell's plan when there is one.
    topic_id INTEGER REFERENCES topics (id) ON DELETE SET NULL,
    topic_title TEXT NOT NULL CHECK (length(topic_title) <= 1000)
);
CREATE INDEX model_sessions_plan ON model_sessions (plan_id, position);
CREATE INDEX model_sessions_host ON model_sessions (host_org_id);

-- A thematic model's topic session, scheduled when the plan is issued with the committee's
-- day, hour and venue: the host cell cannot move or cancel it on its own.
ALTER TABLE topic_sessions ADD COLUMN model_session_id INTEGER REFERENCES model_sessions (id) ON DELETE SET NULL;
