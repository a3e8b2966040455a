-- Holding the session, continued (issue 9).
--
-- 1. A committee's own grading sheet for the sessions of its subtree: its criteria, their items
--    and points, in the text form the committee edits (domain::grading::Sheet). A cell's
--    sessions are graded on the sheet of its nearest committee that has one, else the default.
CREATE TABLE grading_sheets (
    committee_id INTEGER NOT NULL UNIQUE REFERENCES orgs (id) ON DELETE CASCADE,
    sheet TEXT NOT NULL CHECK (length(sheet) <= 20000),
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id)
);
-- The sheet a grade was given on, as it was then (NULL: the default sheet), so that a later
-- change of the committee's sheet never reinterprets the points stored.
ALTER TABLE minutes_grades ADD COLUMN sheet TEXT CHECK (length(sheet) <= 20000);

-- 2. The final paper (chuyên đề hoàn chỉnh) reported with the minutes: the version that was
--    current when they were sent up (papers never change).
ALTER TABLE session_minutes ADD COLUMN reported_paper_id INTEGER REFERENCES papers (id);

-- 3. A correction of closed minutes (biên bản bổ sung): what is corrected or added, frozen and
--    numbered in the same BB series as the minutes when it is made. Closed minutes never change.
CREATE TABLE minutes_corrections (
    id INTEGER PRIMARY KEY,
    minutes_id INTEGER NOT NULL REFERENCES session_minutes (id) ON DELETE CASCADE,
    term_start INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    issuer TEXT NOT NULL CHECK (length(issuer) <= 50),
    body TEXT NOT NULL CHECK (length(body) <= 20000),
    made_on DATE NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
CREATE INDEX minutes_corrections_minutes ON minutes_corrections (minutes_id);
