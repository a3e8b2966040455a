-- Model sessions, after the plan (issue 10, parts 3 and 4): the units invited to each model
-- meeting and the delegates they name, who came, the delegates' assessments, and the
-- committee's summary issued as a short report (THÔNG BÁO or BÁO CÁO kết quả).
--
-- Registration closes at the end of register_by (NULL: open until the meeting's day);
-- scored: the committee asks the delegates for points on the host cell's grading sheet.
ALTER TABLE model_sessions ADD COLUMN register_by DATE;
ALTER TABLE model_sessions ADD COLUMN scored BOOLEAN NOT NULL DEFAULT FALSE;

-- A unit of the committee's subtree invited to send delegates (cấp ủy các đảng bộ, chi bộ).
CREATE TABLE model_invitations (
    model_session_id INTEGER NOT NULL REFERENCES model_sessions (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (model_session_id, org_id)
);
CREATE INDEX model_invitations_org ON model_invitations (org_id);

-- A delegate named by an invited unit: a member of the cell, or a staff account of the
-- committee. The name and position are kept as registered, for the attendance sheet.
-- attended: NULL until the committee records who came.
CREATE TABLE model_delegates (
    id INTEGER PRIMARY KEY,
    model_session_id INTEGER NOT NULL REFERENCES model_sessions (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    member_id INTEGER REFERENCES members (id),
    user_id INTEGER REFERENCES users (id),
    full_name TEXT NOT NULL CHECK (length(full_name) <= 200),
    title TEXT NOT NULL CHECK (length(title) <= 200),
    attended BOOLEAN,
    registered_at TEXT NOT NULL,
    registered_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX model_delegates_member ON model_delegates (model_session_id, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX model_delegates_user ON model_delegates (model_session_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX model_delegates_session ON model_delegates (model_session_id, org_id);

-- A delegate's assessment: what went well, what to fix, and the points on the sheet when the
-- committee asked for them (points "5,5,…" on sheet, the sheet's text as it was).
CREATE TABLE model_assessments (
    delegate_id INTEGER NOT NULL UNIQUE REFERENCES model_delegates (id) ON DELETE CASCADE,
    went_well TEXT NOT NULL CHECK (length(went_well) <= 5000),
    to_fix TEXT NOT NULL CHECK (length(to_fix) <= 5000),
    points TEXT CHECK (length(points) <= 500),
    sheet TEXT CHECK (length(sheet) <= 20000),
    updated_at TEXT NOT NULL
);

-- The committee's summary of a model meeting, issued once as THÔNG BÁO (TB) or BÁO CÁO (BC)
-- kết quả; frozen when issued.
CREATE TABLE model_reports (
    model_session_id INTEGER NOT NULL UNIQUE REFERENCES model_sessions (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    number_serial INTEGER,
    number_kind TEXT NOT NULL CHECK (number_kind IN ('TB', 'BC')),
    number_issuer TEXT CHECK (length(number_issuer) <= 50),
    issued_on DATE,
    summary TEXT NOT NULL CHECK (length(summary) <= 20000),
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    issued_at TEXT,
    issued_by INTEGER REFERENCES users (id)
);
