-- The life of a plan after drafting: adoption, submission (frozen revisions), review with
-- comments, directive plans of committees, notifications and e-mail.

-- A topic pulled from a committee's directive plan points at the mandated topic.
ALTER TABLE topics ADD COLUMN mandated_topic_id INTEGER REFERENCES topics (id) ON DELETE SET NULL;
-- A directive plan's deadline as written: "Hoàn thành trong tháng 3 năm 2023", "Quý II".
ALTER TABLE topics ADD COLUMN deadline_text TEXT;
CREATE INDEX topics_mandated ON topics (mandated_topic_id);

-- When the plan was last submitted (denormalised for the committee dashboard).
ALTER TABLE plans ADD COLUMN submitted_at TEXT;
CREATE INDEX plans_year_org ON plans (year, org_id);

ALTER TABLE users ADD COLUMN email TEXT;

-- What was submitted, exactly: the plan and its issuer as JSON, never changed afterwards.
CREATE TABLE plan_revisions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    number INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    snapshot TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

-- Every transition of a plan: who, when, from which revision, with what comment.
CREATE TABLE plan_events (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN ('adopt', 'submit', 'return', 'accept', 'issue')),
    comment TEXT NOT NULL,
    revision_id INTEGER REFERENCES plan_revisions (id),
    -- The cell meeting that adopted the plan.
    meeting_on DATE,
    present INTEGER,
    total INTEGER,
    votes_for INTEGER,
    votes_against INTEGER
);
CREATE INDEX plan_events_plan ON plan_events (plan_id, id);

-- A reviewer's comment on a revision: on the whole plan ('plan') or on one part of it
-- ('header', 'basis', 'texts:purposes', 'topic:12', …).
CREATE TABLE review_comments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    revision_id INTEGER NOT NULL REFERENCES plan_revisions (id),
    part TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX review_comments_plan ON review_comments (plan_id, revision_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    link TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- E-mail waiting to be sent (or retried); sending never blocks or fails a user's action.
CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER REFERENCES notifications (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at);

-- Which assignees were already reminded that a step is coming due.
CREATE TABLE due_reminders (
    step_id INTEGER NOT NULL REFERENCES steps (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (step_id, member_id)
);
