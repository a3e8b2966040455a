-- The minutes (biên bản) of a held session: who attended, the record of the sitting, and the
-- steps after it (closed by the secretary, then frozen; reported to the higher committee;
-- graded). One set of minutes per session; a correction after closing is a new set that names
-- the one it amends.
CREATE TABLE session_minutes (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES topic_sessions (id) ON DELETE CASCADE,
    -- The minutes this one corrects (biên bản bổ sung), if any.
    amends_id INTEGER REFERENCES session_minutes (id),
    version INTEGER NOT NULL,
    -- Minutes after midnight, local time, as held.
    started_minute INTEGER CHECK (started_minute BETWEEN 0 AND 1439),
    ended_minute INTEGER CHECK (ended_minute BETWEEN 0 AND 1439),
    chair_name TEXT NOT NULL CHECK (length(chair_name) <= 200),
    minute_taker_name TEXT NOT NULL CHECK (length(minute_taker_name) <= 200),
    presenter_name TEXT NOT NULL CHECK (length(presenter_name) <= 200),
    -- One item per line.
    agenda TEXT NOT NULL CHECK (length(agenda) <= 20000),
    conclusion TEXT NOT NULL CHECK (length(conclusion) <= 20000),
    -- A vote that turns the conclusion into a resolution; all three or none.
    vote_for INTEGER CHECK (vote_for >= 0),
    vote_against INTEGER CHECK (vote_against >= 0),
    vote_abstain INTEGER CHECK (vote_abstain >= 0),
    attendance_taken BOOLEAN NOT NULL,
    -- The number Số n-BB/{issuer}, given when the minutes are closed, through the cell's term.
    term_start INTEGER,
    serial INTEGER,
    issuer TEXT CHECK (length(issuer) <= 50),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    closed_on DATE,
    reported_at TEXT,
    reported_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX session_minutes_first ON session_minutes (session_id) WHERE amends_id IS NULL;

-- Every member of the cell called to the session, with their standing as it was that day.
CREATE TABLE minutes_attendance (
    minutes_id INTEGER NOT NULL REFERENCES session_minutes (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    position INTEGER NOT NULL,
    full_name TEXT NOT NULL CHECK (length(full_name) <= 200),
    standing TEXT NOT NULL CHECK (standing IN ('full', 'probationary')),
    presence TEXT NOT NULL CHECK (presence IN ('present', 'excused', 'absent', 'exempt')),
    reason TEXT NOT NULL CHECK (length(reason) <= 1000),
    PRIMARY KEY (minutes_id, member_id)
);

CREATE TABLE minutes_guests (
    minutes_id INTEGER NOT NULL REFERENCES session_minutes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    full_name TEXT NOT NULL CHECK (length(full_name) <= 200),
    title TEXT NOT NULL CHECK (length(title) <= 200),
    unit TEXT NOT NULL CHECK (length(unit) <= 200),
    PRIMARY KEY (minutes_id, position)
);

-- Who spoke, in order, and what they said.
CREATE TABLE minutes_speeches (
    minutes_id INTEGER NOT NULL REFERENCES session_minutes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    speaker TEXT NOT NULL CHECK (length(speaker) <= 200),
    summary TEXT NOT NULL CHECK (length(summary) <= 10000),
    PRIMARY KEY (minutes_id, position)
);

-- The quality grade on the 100-point sheet: the secretary's proposal, then the committee's
-- decision (confirmed as proposed, or changed with a reason).
CREATE TABLE minutes_grades (
    minutes_id INTEGER NOT NULL REFERENCES session_minutes (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('proposed', 'decided')),
    -- The points of each item of the sheet, in the sheet's order, comma-separated.
    points TEXT NOT NULL CHECK (length(points) <= 200),
    total INTEGER NOT NULL CHECK (total BETWEEN 0 AND 100),
    reason TEXT NOT NULL CHECK (length(reason) <= 1000),
    by_user INTEGER REFERENCES users (id),
    graded_at TEXT NOT NULL,
    PRIMARY KEY (minutes_id, stage)
);
