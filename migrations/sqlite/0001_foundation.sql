-- Accounts, sessions, the party tree and members.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

-- tower-sessions-sqlx-store's layout, owned by our migrations so both databases match.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES orgs (id),
    kind TEXT NOT NULL CHECK (kind IN ('committee', 'cell')),
    name TEXT NOT NULL,
    superior_name TEXT NOT NULL,
    abbreviation TEXT NOT NULL,
    place_name TEXT NOT NULL,
    term_start INTEGER NOT NULL,
    -- '/1/5/12/': ids from the root down; subtrees are range scans.
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id, name);

CREATE TABLE reviewers (
    user_id INTEGER NOT NULL REFERENCES users (id),
    committee_id INTEGER NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (user_id, committee_id)
);
CREATE INDEX reviewers_committee ON reviewers (committee_id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES orgs (id),
    full_name TEXT NOT NULL,
    standing TEXT NOT NULL CHECK (standing IN ('full', 'probationary')),
    role TEXT NOT NULL CHECK (role IN ('secretary', 'deputy_secretary', 'cell_committee_member', 'member')),
    birth_year INTEGER,
    phone TEXT,
    email TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    user_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_cell ON members (cell_id, active, full_name);
CREATE UNIQUE INDEX members_user_cell ON members (user_id, cell_id) WHERE user_id IS NOT NULL;

-- Who changed what, when. `detail` is a short human-readable summary.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
