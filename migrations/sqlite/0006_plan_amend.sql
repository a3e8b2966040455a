-- An adopted plan that is edited becomes a draft again; the timeline records it as an
-- 'amend' event. SQLite cannot change a CHECK constraint in place: the table is rebuilt (no
-- table refers to plan_events).
CREATE TABLE plan_events_new (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN ('adopt', 'submit', 'return', 'accept', 'issue', 'amend')),
    comment TEXT NOT NULL,
    revision_id INTEGER REFERENCES plan_revisions (id),
    -- The cell meeting that adopted the plan.
    meeting_on DATE,
    present INTEGER,
    total INTEGER,
    votes_for INTEGER,
    votes_against INTEGER
);
INSERT INTO plan_events_new (id, plan_id, at, user_id, action, comment, revision_id, meeting_on,
    present, total, votes_for, votes_against)
SELECT id, plan_id, at, user_id, action, comment, revision_id, meeting_on, present, total,
    votes_for, votes_against
FROM plan_events;
DROP TABLE plan_events;
ALTER TABLE plan_events_new RENAME TO plan_events;
CREATE INDEX plan_events_plan ON plan_events (plan_id, id);

-- Dropping the old table dropped its length triggers (0004): the new one gets them back.
CREATE TRIGGER plan_events_comment_length_insert BEFORE INSERT ON plan_events
WHEN length(NEW.comment) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_events.comment longer than 10000 characters'); END;
CREATE TRIGGER plan_events_comment_length_update BEFORE UPDATE ON plan_events
WHEN length(NEW.comment) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_events.comment longer than 10000 characters'); END;
