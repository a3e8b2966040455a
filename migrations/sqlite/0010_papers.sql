-- The papers of a topic (tài liệu chuyên đề): every version of its draft, written in the app
-- and/or uploaded as a file, never changed once stored; the secretary's approval that sent one
-- to the members; the members' comments on it and the presenter's answers. Uploaded files live
-- in the database (paper_files), so a backup of the database is a backup of the papers.
CREATE TABLE papers (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('draft1', 'draft2', 'final')),
    body TEXT NOT NULL CHECK (length(body) <= 100000),
    file_name TEXT CHECK (length(file_name) <= 200),
    file_kind TEXT CHECK (file_kind IN ('docx', 'pdf', 'odt')),
    file_size INTEGER CHECK (file_size BETWEEN 1 AND 20971520),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    circulated_at TEXT,
    circulated_by INTEGER REFERENCES users (id),
    comments_closed_at TEXT,
    comments_closed_by INTEGER REFERENCES users (id),
    CHECK ((file_name IS NULL) = (file_kind IS NULL) AND (file_kind IS NULL) = (file_size IS NULL)),
    CHECK (body <> '' OR file_kind IS NOT NULL),
    CHECK (comments_closed_at IS NULL OR circulated_at IS NOT NULL)
);
CREATE INDEX papers_topic ON papers (topic_id, id);

CREATE TABLE paper_files (
    paper_id INTEGER PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    content BLOB NOT NULL
);

CREATE TABLE paper_comments (
    id INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    -- The paragraph commented on (from 1), or NULL for the whole paper.
    paragraph INTEGER CHECK (paragraph >= 1),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    verdict TEXT CHECK (verdict IN ('taken', 'rejected')),
    reply TEXT NOT NULL CHECK (length(reply) <= 10000),
    answered_at TEXT,
    answered_by INTEGER REFERENCES users (id),
    version INTEGER NOT NULL,
    CHECK ((verdict IS NULL) = (answered_at IS NULL))
);
CREATE INDEX paper_comments_paper ON paper_comments (paper_id, id);
