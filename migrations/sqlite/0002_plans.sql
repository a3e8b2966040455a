-- The annual plan and its parts.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    year INTEGER NOT NULL,
    -- Bumped by every saved change; forms carry the version they were drawn from.
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'adopted', 'submitted', 'returned', 'accepted', 'issued')),
    -- Document numbers run through the issuer's term.
    term_start INTEGER NOT NULL,
    number_serial INTEGER,
    number_kind TEXT,
    number_issuer TEXT,
    place TEXT NOT NULL,
    issued_on DATE,
    subject TEXT NOT NULL,
    basis_lead TEXT NOT NULL,
    basis_closing TEXT NOT NULL,
    archive TEXT NOT NULL,
    sign_authority TEXT NOT NULL,
    sign_title TEXT NOT NULL,
    signer_member_id INTEGER REFERENCES members (id),
    signer_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX plans_org_year ON plans (org_id, year);
CREATE UNIQUE INDEX plans_number ON plans (org_id, term_start, number_kind, number_serial)
    WHERE number_serial IS NOT NULL;

-- Ordered paragraphs of a section: purposes, requirements, format, materials, duties.
CREATE TABLE plan_texts (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    section TEXT NOT NULL CHECK (section IN ('purposes', 'requirements', 'format', 'materials', 'duties')),
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (plan_id, section, position)
);

CREATE TABLE plan_basis (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on DATE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE plan_recipients (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    for_report BOOLEAN NOT NULL,
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    quarter INTEGER CHECK (quarter BETWEEN 1 AND 4),
    -- The planned session: the first day of a month, or an exact day.
    session_on DATE,
    session_exact BOOLEAN NOT NULL DEFAULT FALSE,
    presenter_member_id INTEGER REFERENCES members (id),
    presenter_text TEXT,
    mandate TEXT,
    materials TEXT NOT NULL
);
CREATE INDEX topics_plan ON topics (plan_id, position);

CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('outline', 'draft1', 'comments', 'draft2', 'session', 'other')),
    label TEXT NOT NULL,
    due_on DATE,
    due_exact BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL,
    done_on DATE,
    done_by INTEGER REFERENCES users (id)
);
CREATE INDEX steps_topic ON steps (topic_id, position);

CREATE TABLE step_assignees (
    step_id INTEGER NOT NULL REFERENCES steps (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (step_id, member_id)
);
CREATE INDEX step_assignees_member ON step_assignees (member_id);
CREATE INDEX topics_presenter ON topics (presenter_member_id);

-- Every saved change of a plan: its history, and how concurrent edits are detected.
CREATE TABLE plan_changes (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    part TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    summary TEXT NOT NULL
);
CREATE INDEX plan_changes_plan ON plan_changes (plan_id, version);
